"""The package's imports flow one way (CONTRIBUTING.md §1): entry point → source → check/config/state/discover →
components → api, with `api/` free of the CDK and no import cycle anywhere."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Set

PACKAGE = Path(__file__).resolve().parents[1] / "source_brightpearl"

# What each part may import from the package. A new top-level module is taken as one of the middle layer
# (check/config/state/discover): it may use components and api, and only source and the entry points may use it.
ALLOWED = {
    "api": {"api"},
    "resources": {"api"},  # the HTTP bounds it writes into the manifest come from api/transport.py
    "fast_import": set(),
    "components": {"components", "api", "resources"},
    "middle": {"middle", "components", "api", "resources"},
    "source": {"source", "middle", "components", "api", "resources"},
    "authorize": {"authorize", "middle", "components", "api", "resources"},
    "cdk_run": {"source", "middle", "components", "api", "resources"},
    "run": {"cdk_run", "authorize", "fast_import", "source", "middle", "components", "api", "resources"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module: str) -> str:
    top = module.split(".")[1] if "." in module else ""
    return top if top in ALLOWED else "middle"


def _imports() -> Dict[str, Set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: Dict[str, Set[str]] = {}
    for name, path in modules.items():
        targets: Set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def test_api_imports_neither_the_cdk_nor_the_rest_of_the_package():
    for path in (PACKAGE / "api").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("airbyte_cdk"), f"{path.name} imports {name}"
                assert not name.startswith("source_brightpearl") or name.startswith("source_brightpearl.api"), (
                    f"{path.name} imports {name}"
                )


def test_imports_flow_one_way():
    wrong = [
        f"{module} imports {target}"
        for module, targets in _imports().items()
        for target in targets
        if _part(target) not in ALLOWED[_part(module)] | {_part(module)}
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    graph = _imports()
    visiting: Set[str] = set()
    done: Set[str] = set()

    def visit(module: str, path: tuple) -> None:
        assert module not in visiting, "import cycle: " + " -> ".join(path + (module,))
        if module in done:
            return
        visiting.add(module)
        for target in sorted(graph[module]):
            visit(target, path + (module,))
        visiting.discard(module)
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
