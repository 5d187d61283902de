"""Problems located in the YAML: pydantic's errors in words an editor understands."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel

from ldnpub.content.blocks import BLOCK_TYPES
from ldnpub.content import types
from ldnpub.base.errors import Problem
from ldnpub.content.loading import DataPath, RawFile, field_path
from ldnpub.content.project import Project

M = TypeVar("M", bound=BaseModel)

def fields_at(cls: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed where pydantic's error location points: "did you mean" hints
    come from the model in that place (a brand's fields for a brand file), not from every model."""
    candidates = {cls}
    for part in loc:
        if isinstance(part, int):
            continue
        inside = {inner for c in candidates if part in c.model_fields
                  for inner in _models_in(c.model_fields[part].annotation)}
        tagged = {c for c in candidates if part in _tags(c)}  # a union tag, e.g. blocks[1].callout
        candidates = inside or tagged or candidates
    return sorted({name for c in candidates for name in c.model_fields})


def _models_in(annotation: Any) -> set[type[BaseModel]]:
    """The models a field's type holds: through Optional, tuple, Union and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    return {m for arg in get_args(annotation) for m in _models_in(arg)}


def _tags(cls: type[BaseModel]) -> tuple:
    field = cls.model_fields.get("type")
    return get_args(field.annotation) if field else ()


def _data_path(data: Any, loc: tuple) -> DataPath:
    """The part of pydantic's error location that exists in the YAML (union tags are skipped)."""
    found: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            continue
        found.append(part)
    return tuple(found)


_PATTERN_WORDS = {
    types.ID_PATTERN: "an id of lowercase letters, digits and hyphens",
    types.COLOR_PATTERN: "a colour like #1f4e79",
    types.LANGUAGE_PATTERN: "a language code like en or en-GB",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, str) and (len(value) > 60 or "\n" in value):  # a file's text is named, not echoed
        return f"a text of {len(value):,} characters"
    return repr(value)


def problem_from_pydantic(raw: RawFile, error: dict, cls: type[BaseModel]) -> Problem:
    """One pydantic error as a Problem located in the YAML, in words an editor understands."""
    loc = tuple(error["loc"])
    path = _data_path(raw.data, loc)
    line, column = raw.locate(path)
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx", {})
    hint = ""
    if kind == "missing":
        message = f"missing required field '{loc[-1]}'"
        path = path + (loc[-1],) if loc and loc[-1] not in path else path
    elif kind == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'"
        close = difflib.get_close_matches(str(loc[-1]), fields_at(cls, loc[:-1]), n=1)
        hint = f"did you mean '{close[0]}'?" if close else ""
    elif kind == "string_type":
        message = f"expected text, found {_describe(value)}"
        if isinstance(value, bool):
            hint = "YAML reads yes/no/on/off as true/false: put the text in quotes"
        elif isinstance(value, (int, float, dt.date)):
            hint = f"put it in quotes: \"{value}\""
    elif kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        message = f"expected a date like 2026-01-31, found {_describe(value)}"
    elif kind == "literal_error":
        message = f"expected one of {ctx.get('expected')}, found {_describe(value)}"
    elif kind == "union_tag_invalid":
        message = f"unknown block type {ctx.get('tag')!r}: expected one of {', '.join(BLOCK_TYPES)}"
    elif kind == "union_tag_not_found":
        message = f"a block needs a 'type': one of {', '.join(BLOCK_TYPES)}"
    elif kind == "string_pattern_mismatch":
        message = f"expected {_PATTERN_WORDS.get(ctx.get('pattern'), 'a different form')}, found {_describe(value)}"
    elif kind == "string_too_short":
        message = "expected text, found an empty value"
    elif kind in ("string_too_long", "too_long") and isinstance(value, str):
        message = f"expected at most {ctx.get('max_length')} characters, found {len(value)}"
        hint = "use a shorter web address (a page on your site that redirects, for example)"
    elif kind == "too_short":
        message = f"expected at least {ctx.get('min_length')} item(s), found {_describe(value) if not isinstance(value, list) else len(value)}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"expected a whole number, found {_describe(value)}"
    elif kind in ("bool_type", "bool_parsing"):
        message = f"expected true or false, found {_describe(value)}"
    elif kind in ("list_type", "tuple_type"):
        message = f"expected a list, found {_describe(value)}"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = f"expected a mapping of fields, found {_describe(value)}"
    elif kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
    else:
        message = error["msg"]
    where = field_path(path)
    return Problem(Path(raw.display), line, column, f"{where}: {message}" if where else message, hint)


def problem_at(project: Project, relative: str, path: DataPath, message: str, hint: str = "",
               severity: str = "error") -> Problem:
    """A Problem at a value of one of the project's content files (e.g. sources/publication.yaml)."""
    raw = project.raw(relative)
    line, column = raw.locate(path)
    return Problem(Path(raw.display), line, column, f"{field_path(path)}: {message}", hint, severity)
