"""The start-up shortcut (source_brightpearl/fast_import.py) must change nothing but the time `import airbyte_cdk`
takes. Each check runs in a fresh interpreter, because the shortcut only matters before the CDK is imported."""

import inspect
import subprocess
import sys
import textwrap

import orjson
import pytest


def _fresh_python(tmp_path, code: str, *args: str) -> dict:
    # A script file, not `-c`: attribute docs are read from a class's source file.
    script = tmp_path / "check.py"
    script.write_text(textwrap.dedent(code))
    completed = subprocess.run([sys.executable, str(script), *args], capture_output=True, timeout=120, check=True)
    return orjson.loads(completed.stdout.splitlines()[-1])


def test_protocol_messages_serialize_the_same_with_the_shortcut(tmp_path):
    code = """
        import sys, orjson
        from source_brightpearl.fast_import import skip_protocol_attribute_docs
        installed = skip_protocol_attribute_docs() if sys.argv[-1] == "fast" else False
        from airbyte_cdk.models import AirbyteMessageSerializer, ConfiguredAirbyteCatalogSerializer
        record = {"type": "RECORD", "record": {"stream": "orders", "data": {"id": 1, "total": "10.50", "n": None},
                                               "emitted_at": 1700000000000}}
        state = {"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"},
                 "stream_state": {"syncCursor": "2024-01-01T00:00:00.000Z", "__ab_no_cursor_state_message": True}}}}
        catalog = {"streams": [{"stream": {"name": "orders", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                                "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}
        out = [AirbyteMessageSerializer.dump(AirbyteMessageSerializer.load(m)) for m in (record, state)]
        out.append(ConfiguredAirbyteCatalogSerializer.dump(ConfiguredAirbyteCatalogSerializer.load(catalog)))
        print(orjson.dumps({"installed": installed, "out": out}).decode())
    """
    plain = _fresh_python(tmp_path, code, "plain")
    fast = _fresh_python(tmp_path, code, "fast")
    assert fast["installed"] is True and plain["installed"] is False
    assert fast["out"] == plain["out"]
    assert fast["out"][0]["record"]["data"]["total"] == "10.50"
    assert fast["out"][1]["state"]["stream"]["stream_state"]["__ab_no_cursor_state_message"] is True


def test_the_shortcut_skips_only_protocol_classes(tmp_path):
    result = _fresh_python(
        tmp_path,
        """
        import dataclasses, orjson
        from source_brightpearl.fast_import import skip_protocol_attribute_docs
        skip_protocol_attribute_docs()
        skip_protocol_attribute_docs()  # idempotent: never wraps twice
        import serpyco_rs._describe as describe
        from airbyte_cdk.models import AirbyteRecordMessage

        @dataclasses.dataclass
        class Documented:
            amount: str
            \"\"\"The amount, as a decimal string.\"\"\"

        print(orjson.dumps({"own": describe.get_attributes_doc(Documented),
                            "protocol": describe.get_attributes_doc(AirbyteRecordMessage)}).decode())
    """,
    )
    assert result["own"] == {"amount": "The amount, as a decimal string."}
    assert result["protocol"] == {}


def test_the_patched_serpyco_rs_internals_are_where_the_shortcut_expects_them():
    """The shortcut replaces `get_attributes_doc` in the serpyco-rs modules that call it. If serpyco-rs moves the call
    or adds a caller, the shortcut would silently do less: fail here instead, naming the modules."""
    import importlib
    import pkgutil
    import re

    import serpyco_rs

    from source_brightpearl.fast_import import _CALLERS

    callers = set()
    for module_info in pkgutil.walk_packages(serpyco_rs.__path__, "serpyco_rs."):
        try:
            source = inspect.getsource(importlib.import_module(module_info.name))
        except (ImportError, OSError, TypeError):
            continue  # compiled modules have no Python source to call it from
        if re.search(r"\bget_attributes_doc\(", source):
            callers.add(module_info.name)
    assert callers == set(_CALLERS), f"serpyco-rs calls get_attributes_doc from {sorted(callers)}; update fast_import._CALLERS"
    for name in _CALLERS:
        assert callable(getattr(importlib.import_module(name), "get_attributes_doc", None)), name


@pytest.mark.parametrize("change", ["module-gone", "function-gone"])
def test_when_serpyco_rs_moves_the_shortcut_does_nothing(monkeypatch, change):
    import importlib
    from types import SimpleNamespace

    from source_brightpearl import fast_import

    real_import = importlib.import_module

    def moved(name, *args, **kwargs):
        if name == fast_import._CALLERS[-1]:
            if change == "module-gone":
                raise ImportError(name)
            return SimpleNamespace()  # the module is there, the function is not
        return real_import(name, *args, **kwargs)

    first = real_import(fast_import._CALLERS[0])
    before = first.get_attributes_doc
    monkeypatch.setattr(importlib, "import_module", moved)
    assert fast_import.skip_protocol_attribute_docs() is False
    assert first.get_attributes_doc is before  # nothing half-patched
