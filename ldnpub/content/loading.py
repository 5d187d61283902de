"""Loading: safe YAML -> plain data that remembers the file, line and column of every value."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ldnpub.base.errors import ContentError, Problem

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


def load_yaml(path: Path, display: str | None = None, inside: Path | None = None) -> RawFile:
    """Parse one YAML file safely; syntax errors and duplicate keys raise ContentError. With
    `inside`, the file read must lie inside that folder (see project.read_file)."""
    from ldnpub.base.files import read_file

    display = display or str(path)
    try:
        text = read_file(path, MAX_BYTES, inside, display).decode("utf-8-sig")  # an editor's BOM is fine
    except UnicodeDecodeError as exc:
        raise ContentError("bad encoding", (Problem(Path(display), None, None,
                                                    f"not UTF-8 text ({exc.reason})"),)) from None
    return _parse(text, path, display)


@functools.lru_cache(maxsize=512)
def _parse(text: str, path: Path, display: str) -> RawFile:
    """Parsed once per text: watch and preview reload a project on every save, and most of its
    files have not changed. Nothing downstream changes the data it returns."""
    _check_bounds(text, display)
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


MAX_BYTES = 1_000_000  # a content file is a few kilobytes; a megabyte is a mistake or an attack
MAX_DEPTH = 32  # the content model nests about six levels deep
# C0 and C1 control characters (tab, newline and carriage return aside) and the non-characters.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
# Invisible formatting that makes text print otherwise than it reads: bidi embeddings, overrides
# and isolates ("take 50 mg" printed where an editor shows "05"), zero-width spaces, word joiners
# and invisible operators, a byte order mark inside the text, interlinear annotations.
# Left-to-right and right-to-left marks (U+200E, U+200F, U+061C) and the joiners that scripts
# need (U+200C, U+200D) are allowed.
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
                       "\U000e0000-\U000e007f]")  # and the tag characters, invisible letters


def invisible_character(text: str) -> tuple[int, str] | None:
    """The offset of the first invisible formatting character in text, and its words."""
    import unicodedata

    found = INVISIBLE.search(text)
    if found is None:
        return None
    char = found.group()
    return found.start(), (f"invisible formatting character U+{ord(char):04X} "
                           f"({unicodedata.name(char, 'unnamed').lower()}): it can make the text print otherwise "
                           "than it reads here")


def _check_bounds(text: str, display: str) -> None:
    """Refuse, in time linear in the file, what would make parsing slow, huge or crash: a file
    too large, control characters, nesting too deep, explicit tags (`!!timestamp`, which force a
    constructor on any text), and aliases (`*name`), which can expand a few hundred bytes into
    gigabytes. Content never needs them."""
    def refuse(line: int | None, column: int | None, message: str, hint: str = "") -> None:
        raise ContentError("input out of bounds", (Problem(Path(display), line, column, message, hint),))

    if len(text.encode("utf-8")) > MAX_BYTES:
        refuse(None, None, f"the file is larger than {MAX_BYTES:,} bytes", "split it into several files")
    bad = FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        refuse(line, column, f"control character U+{ord(bad.group()):04X} in the text",
               "delete it (it is invisible in most editors; it often comes from copying out of a PDF)")
    hidden = invisible_character(text)
    if hidden:
        offset, words = hidden
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        refuse(line, column, words, "delete it: retype the text around it if you cannot see it")
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            mark = event.start_mark
            if getattr(event, "tag", None) is not None and event.tag != "!":
                refuse(mark.line + 1, mark.column + 1, f"the YAML tag {event.tag[:40]}: tags are not used in content",
                       "write the value plainly; put text in quotes")
            if isinstance(event, yaml.AliasEvent):
                refuse(mark.line + 1, mark.column + 1, f"alias *{event.anchor}: anchors and aliases are not "
                       "allowed in content", "write the value out where it is needed")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    refuse(mark.line + 1, mark.column + 1, f"nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError:
        return  # a syntax error: compose reports it with its place


_scalars = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    """YAML's own typing of a scalar (so `no` is False and 2026-01-31 a date: validation says so)."""
    try:
        value = _scalars.construct_object(node)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, yaml.YAMLError):
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
    value = _scalar(node)
    if isinstance(value, str):
        _check_text(value, node, problems, display)
    return value


def _check_text(value: str, node: yaml.Node, problems: list, display: str) -> None:
    """What an escape in quotes ("\\u202e", "\\x07") puts into a value is judged like the file's
    own text: the raw file was checked before parsing, its escapes only now."""
    control = FORBIDDEN.search(value)
    if control:
        problems.append(_problem(display, node, f"control character U+{ord(control.group()):04X} in the text",
                                 "delete it (written as an escape such as \\x07 or \\u0000 in quotes)"))
        return
    hidden = invisible_character(value)
    if hidden:
        problems.append(_problem(display, node, hidden[1], "delete it (written as an escape such as \\u202e "
                                                            "in quotes)"))


def _problem(display: str, node: yaml.Node, message: str, hint: str = "") -> Problem:
    return Problem(Path(display), node.start_mark.line + 1, node.start_mark.column + 1, message, hint)


def field_path(path: DataPath) -> str:
    """A data path as messages write it: blocks[2].items[0]."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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
