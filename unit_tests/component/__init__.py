"""In-process component tests: SourceBrightpearl's real `read` over the CDK's HTTP mocking (see unit_tests/builders.py).

Test names say what they pin:
- `test_contract_*`: what a user relies on, whatever the implementation — every existing record emitted once, a sync
  never ends silently short, one refresh per rejected token, throttling waited out;
- `test_current_*`: how the connector does it today (e.g. restarting a search from its first page); a redesign that
  keeps the contracts may replace these.
"""
