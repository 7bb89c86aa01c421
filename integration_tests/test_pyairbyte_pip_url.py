"""PyAirbyte's other route, as the README shows it: `pip_url` at a wheel, which PyAirbyte installs into a virtual
environment of its own, then runs as a subprocess, with rotated tokens handed back through the config-change callback.

The wheel is built from exactly the files the Dockerfile copies into the image, so this also proves the image's build
context is complete. PyAirbyte installs with `uv` (found on PATH; it comes with PyAirbyte, in this venv's bin
directory), which fetches the connector's dependencies from the package index: this test needs the index, as
`make venv` does, and nothing else beyond the sandbox.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import SandboxOptions

pytestmark = [
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

ROOT = Path(__file__).resolve().parents[1]


def _image_build_context(target: Path) -> Path:
    """The files the Dockerfile's COPY instructions take from the repository, copied to `target`."""
    target.mkdir()
    sources = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        parts = line.split()
        if parts[:1] == ["COPY"] and not parts[1].startswith("--from"):
            sources += parts[1:-1]
    for source in sources:
        path = ROOT / source
        if path.is_dir():
            shutil.copytree(path, target / source, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, target / source)
    return target


def test_pip_url_wheel_installs_and_reads_with_rotating_tokens(sandbox_factory, tmp_path, monkeypatch):
    context = _image_build_context(tmp_path / "context")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path / "wheels"), str(context)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = (tmp_path / "wheels").glob("airbyte_source_brightpearl-*.whl")

    # Offline registry, no telemetry, temp files and logs in this test's directory (read when PyAirbyte is imported),
    # and `uv` on PATH as in an activated venv.
    monkeypatch.setenv("AIRBYTE_OFFLINE_MODE", "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("AIRBYTE_TEMP_DIR", str(tmp_path / "temp"))
    monkeypatch.setenv("AIRBYTE_LOGGING_ROOT", str(tmp_path / "logs"))
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "temp").mkdir()
    import airbyte as ab

    sandbox = sandbox_factory(SandboxOptions(token_lifetime=60, rotate_refresh_tokens=True))
    config = sandbox.config_with_tokens()
    saved = []

    def save_config(new_config):
        saved.append(new_config)
        source.set_config(new_config)

    source = ab.get_source(
        "source-brightpearl",
        config=config,
        pip_url=str(wheel),
        install_root=tmp_path / "connectors",
        config_change_callback=save_config,
    )
    installed = tmp_path / "connectors" / ".venv-source-brightpearl" / "bin" / "source-brightpearl"
    source.check()
    assert installed.is_file(), "PyAirbyte should run the connector it installed from the wheel"
    source.select_streams(["orders"])
    cache = ab.DuckDBCache(db_path=tmp_path / "brightpearl.duckdb", schema_name="main", cache_dir=tmp_path / "cache")
    result = source.read(cache=cache)

    assert len(result["orders"]) == len(list(sandbox.world.truth("order")))
    # check and read each ran a connector process that refreshed once; each started from the previous rotation.
    assert len(saved) >= 2
    refresh_tokens = [c["refresh_token"] for c in saved]
    assert config["refresh_token"] not in refresh_tokens
    assert len(set(refresh_tokens)) == len(refresh_tokens)
    assert sandbox.counters()["token_grants"]["refresh_token"] == {"success": len(saved)}
