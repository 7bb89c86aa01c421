"""The throttle gate in front of every request (components/pacing.py), driven by a fake clock."""

import threading

import requests

from source_brightpearl.api.transport import http_limits
from source_brightpearl.components.pacing import ThrottleGate


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _answer(status=200, remaining=None, period_ms=None, body=b"{}"):
    response = requests.Response()
    response.status_code = status
    response._content = body
    if remaining is not None:
        response.headers["brightpearl-requests-remaining"] = str(remaining)
    if period_ms is not None:
        response.headers["brightpearl-next-throttle-period"] = str(period_ms)
    return response


THROTTLED = b'{"response":"You have sent too many requests. Please wait before sending another request"}'


class Request:
    """A stand-in for a PreparedRequest (weak-referenceable, compared by identity)."""


def _enter_in_background(gate, request):
    entered = threading.Event()
    threading.Thread(target=lambda: (gate.enter(request), entered.set()), daemon=True).start()
    return entered


def _enters(gate, request):
    return _enter_in_background(gate, request).wait(10)


def _is_held(gate, request):
    """The request is still waiting a moment later (no amount of waiting makes a held request pass by itself: the
    fake clock does not move)."""
    return not _enter_in_background(gate, request).wait(0.3)


def _tick(gate, clock, seconds):
    """Move the fake clock on and wake the waiting threads (they wait on real time otherwise)."""
    clock.now += seconds
    with gate._condition:
        gate._condition.notify_all()


def test_a_throttled_answer_holds_everyone_for_the_window_then_one_probe_goes_first():
    clock = Clock()
    gate = ThrottleGate(clock)
    first, second = Request(), Request()
    gate.enter(first)
    gate.enter(second)
    gate.leave(first, _answer(503, remaining=0, period_ms=4000, body=THROTTLED))
    gate.leave(second, _answer(503, remaining=0, period_ms=3990, body=THROTTLED))
    probe, follower = Request(), Request()
    probe_entered = _enter_in_background(gate, probe)
    assert not probe_entered.wait(0.3), "held until the window named by the 503 ends"
    _tick(gate, clock, 4.0)
    assert probe_entered.wait(10), "the window is over: one request goes"
    follower_entered = _enter_in_background(gate, follower)
    assert not follower_entered.wait(0.3), "the others wait for the probe's answer"
    gate.leave(probe, _answer(200, remaining=150, period_ms=55_000))
    assert follower_entered.wait(10)


def test_a_hold_is_capped_at_one_window_whatever_the_header_says():
    clock = Clock()
    gate = ThrottleGate(clock)
    request = Request()
    gate.enter(request)
    gate.leave(request, _answer(503, remaining=0, period_ms=86_400_000, body=THROTTLED))
    assert gate._hold_until - clock.now == http_limits().throttle_wait


def test_requests_wait_when_those_in_flight_use_up_what_the_window_has_left():
    clock = Clock()
    gate = ThrottleGate(clock)
    requests_ = [Request() for _ in range(4)]
    gate.enter(requests_[0])
    gate.leave(requests_[0], _answer(200, remaining=2, period_ms=3000))
    assert _enters(gate, requests_[1])
    assert _enters(gate, requests_[2])
    assert _is_held(gate, requests_[3]), "2 left, 2 in flight: wait for the next window"
    assert gate._hold_until == clock.now + 3.0


def test_a_new_window_gets_no_more_at_once_than_a_window_holds():
    clock = Clock()
    gate = ThrottleGate(clock)
    first = Request()
    gate.enter(first)
    gate.leave(first, _answer(200, remaining=1, period_ms=1000))  # a window holds 2
    clock.now += 1.5  # that window is over; nothing is known of the next one yet
    a, b, c = Request(), Request(), Request()
    assert _enters(gate, a)
    assert _enters(gate, b)
    assert _is_held(gate, c)


def test_answers_overtaking_each_other_do_not_raise_what_is_left():
    clock = Clock()
    gate = ThrottleGate(clock)
    a, b = Request(), Request()
    gate.enter(a)
    gate.enter(b)
    gate.leave(b, _answer(200, remaining=5, period_ms=3000))
    gate.leave(a, _answer(200, remaining=6, period_ms=3000))  # served earlier, arrived later
    assert gate._remaining == 5


def test_an_answer_without_throttle_headers_changes_nothing():
    gate = ThrottleGate(Clock())
    request = Request()
    gate.enter(request)
    gate.leave(request, _answer(502, body=b"<html>"))
    assert gate._remaining is None and gate.in_flight == 0
