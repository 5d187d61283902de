"""The package is laid out as its pipeline: each stage a folder, importing only from itself and the
folders below it (in-function imports included), so no import can ever go round in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import ldnpub

PACKAGE = Path(ldnpub.__file__).parent
# Bottom to top. checks stands beside build: neither imports the other.
FLOORS = [("_version", "base"), ("content",), ("edition",), ("render",), ("pdf",), ("prepress",),
          ("build", "checks"), ("commands",), ("__init__", "__main__")]
FLOOR = {folder: level for level, folders in enumerate(FLOORS) for folder in folders}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports, anywhere in its code."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        targets = found.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            assert not (isinstance(node, ast.ImportFrom) and node.level), f"{module}: a relative import"
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ldnpub"):
                targets |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names if alias.name.startswith("ldnpub")}
    return {module: {t for t in targets if t in found and t != module} for module, targets in found.items()}


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def test_every_module_is_in_a_stage_folder_or_the_ground_floor():
    assert {_stage(module) for module in _imports()} <= set(FLOOR)
    assert sorted(p.name for p in PACKAGE.iterdir() if p.suffix == ".py") == ["__init__.py", "__main__.py", "_version.py"]


def test_no_module_imports_from_a_stage_above_it_or_beside_it():
    wrong = []
    for module, targets in _imports().items():
        for target in targets:
            here, there = _stage(module), _stage(target)
            if here != there and (FLOOR[there] > FLOOR[here] or (FLOOR[there] == FLOOR[here] and FLOOR[here] > 0)):
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_import_cycle_among_modules():
    graph = _imports()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            assert state.get(target) != 1, " -> ".join(path[path.index(target):] + [target]) if target in path else target
            if target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
