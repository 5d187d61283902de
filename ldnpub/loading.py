"""Loading: safe YAML -> plain data that remembers the file, line and column of every value."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem

Location = tuple[int, int]  # 1-based line and column
DataPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class RawFile:
    """The data of one YAML file and where each value (and each mapping key) stands."""

    path: Path
    display: str
    data: Any
    positions: dict[DataPath, Location] = field(default_factory=dict)

    def locate(self, data_path: DataPath) -> Location:
        """The position of the deepest value along data_path that exists in the file."""
        for end in range(len(data_path), -1, -1):
            found = self.positions.get(tuple(data_path[:end]))
            if found:
                return found
        return (1, 1)


def load_yaml(path: Path, display: str | None = None) -> RawFile:
    """Parse one YAML file safely; syntax errors and duplicate keys raise ContentError."""
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError("bad encoding", (Problem(Path(display), None, None,
                                                    f"not UTF-8 text ({exc.reason})"),)) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"YAML syntax: {exc.problem or exc.context}"
        raise ContentError("bad YAML", (Problem(Path(display), line, column, message),)) from None
    positions: dict[DataPath, Location] = {}
    problems: list[Problem] = []
    data = _construct(root, (), positions, problems, display) if root is not None else None
    if problems:
        raise ContentError("bad YAML", tuple(problems))
    return RawFile(path, display, data, positions)


_scalars = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    """YAML's own typing of a scalar (so `no` is False and 2026-01-31 a date: validation says so)."""
    try:
        value = _scalars.construct_object(node)
    except (ValueError, yaml.YAMLError):
        value = node.value  # e.g. 2027-13-01: looks like a date but is none; validation says so
    _scalars.constructed_objects.clear()
    return value


def _construct(node: yaml.Node, at: DataPath, positions: dict, problems: list, display: str) -> Any:
    positions[at] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                problems.append(_problem(display, key_node, f"expected a field name, found {key!r}"))
                continue
            if key in result:
                problems.append(_problem(display, key_node, f"duplicate key '{key}'",
                                         "each field may appear once in a mapping"))
                continue
            result[key] = _construct(value_node, at + (key,), positions, problems, display)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, at + (i,), positions, problems, display) for i, item in enumerate(node.value)]
    return _scalar(node)


def _problem(display: str, node: yaml.Node, message: str, hint: str = "") -> Problem:
    return Problem(Path(display), node.start_mark.line + 1, node.start_mark.column + 1, message, hint)


def strings(data: Any, at: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """Every string of loaded data with its path, in file order."""
    if isinstance(data, str):
        yield at, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, at + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, at + (index,))
