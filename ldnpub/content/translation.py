"""Translations: the content's and the layouts' text as gettext PO files, one per language.

`translations/es.po` holds every translatable string of the content (the fields typed `Prose`
in model.py; the source article stays in its own language) and every label of the layouts
(`{% trans %}` and `_()`), each with its file:line and, for content, a context naming the file
and field (`sections/dosage.yaml blocks[2].items[0]`). Babel reads, writes and merges them.
A build in another language swaps each string for its translation before validation, so the
rest of the pipeline never knows; a string with no translation, or a fuzzy one, stops the build
with its place unless untranslated text is allowed (then it stays in English, marked so).
"""

from __future__ import annotations

import copy
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from ldnpub.content import blocks
from ldnpub.content import types
from ldnpub.base.errors import ContentError, Problem
from ldnpub.content import model
from ldnpub.content.loading import DataPath, RawFile, field_path

FOLDER = "translations"
# Kept in the source language in every edition: the source article is printed word for word.
KEPT_IN_SOURCE_LANGUAGE = (model.ArticlePart,)
# Layout labels are marked as {% trans %}...{% endtrans %} or _("..."); whitespace inside is trimmed.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "trim_blocks": "true",
                 "lstrip_blocks": "true"}


def po_path(language: str) -> str:
    return f"{FOLDER}/{language}.po"


# --- what is translatable ------------------------------------------------------------------

def translatable(cls: type[BaseModel], data: Any, at: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """The translatable strings of one file's data, with their paths, in file order."""
    if not isinstance(data, dict) or cls in KEPT_IN_SOURCE_LANGUAGE:
        return
    for name, value in data.items():
        field = cls.model_fields.get(name)
        if field is None:
            continue  # validation reports it
        marked = types.TRANSLATABLE in field.metadata
        yield from _walk(field.annotation, value, at + (name,), marked)


def _walk(annotation: Any, value: Any, at: DataPath, marked: bool = False) -> Iterator[tuple[DataPath, str]]:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        if isinstance(value, str) and any(getattr(m, "func", None) is blocks._paragraph_shorthand
                                          for m in annotation.__metadata__):
            yield at, value  # a block written as a bare string: a paragraph's text
            return
        yield from _walk(args[0], value, at, marked or types.TRANSLATABLE in annotation.__metadata__)
    elif origin in (Union, UnionType):  # Optional[X], or the block types (chosen by their type field)
        members = [a for a in args if a is not type(None)]
        if len(members) > 1 and isinstance(value, dict):
            kind = value.get("type", "paragraph")
            members = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)
                       and kind in get_args(m.model_fields["type"].annotation)]
        for member in members[:1]:
            yield from _walk(member, value, at, marked)
    elif isinstance(value, str):
        if marked:
            yield at, value
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from translatable(annotation, value, at)
    elif origin is tuple and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(args[0], item, at + (index,), marked)
    elif origin is dict and isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(args[1], item, at + (key,), marked)


def source_name(path: Path) -> str:
    """A content file as the PO file names it, wherever it is found (the project or the shipped
    defaults): sources/sections/dosage.yaml. The same file gives the same name on every machine."""
    parts = path.parts
    last = len(parts) - 1 - parts[::-1].index("sources") if "sources" in parts else len(parts) - 1
    return "/".join(parts[last:])


def context(path: Path, at: DataPath) -> str:
    """Where a string stands, as the PO file's msgctxt: `sections/dosage.yaml blocks[2].text`."""
    return f"{source_name(path).removeprefix('sources/')} {field_path(at)}"


# --- reading a language's PO file -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Entry:
    text: str
    fuzzy: bool
    line: int  # in the PO file


@dataclass(frozen=True, eq=False)
class Translation:
    """One language's PO file: the translation of each (context, English text)."""

    language: str
    display: str  # the PO file, for messages
    entries: dict[tuple[str | None, str], Entry]

    def glossary_forms(self) -> list[tuple[list[str], list[str]]]:
        """Each glossary term's English forms (the term and its `also`) with their translations."""
        terms: dict[str, tuple[list[str], list[str]]] = {}
        for (ctx, english), entry in self.entries.items():
            found = re.fullmatch(r"glossary\.yaml (terms\[\d+\])\.(?:term|also\[\d+\])", ctx or "")
            if found and entry.text and not entry.fuzzy:
                forms = terms.setdefault(found.group(1), ([], []))
                forms[0].append(english)
                forms[1].append(entry.text)
        return list(terms.values())

    def get(self, ctx: str | None, text: str) -> str | None:
        """The translation, or None if there is none or it is fuzzy (the English changed since)."""
        entry = self.entries.get((ctx, text))
        return entry.text if entry and entry.text and not entry.fuzzy else None

    def label(self, text: str) -> str:
        return self.get(None, text) or text


MAX_PO_BYTES = 5_000_000  # the shipped Spanish is about 100 KB; more is a mistake or an attack


def load_translation(path: Path, display: str, language: str, inside: Path | None = None) -> Translation:
    from ldnpub.base.files import read_file

    return _parse_po(read_file(path, MAX_PO_BYTES, inside, display), display, language)


MAX_PLURALS = 6  # CLDR's most (Arabic); Babel makes a list of this many for each plural message
# A translation runs longer than its English, but not without bound: one huge msgstr can stall a build.
MAX_GROWTH, MAX_EXTRA = 4, 200


@functools.lru_cache(maxsize=16)
def _parse_po(data: bytes, display: str, language: str) -> Translation:
    from babel.messages.pofile import PoFileError, read_po

    _check_plurals(data, display)
    try:
        catalog = read_po(io.BytesIO(data), locale=babel_locale(language), abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError, LookupError) as exc:  # LookupError: an unknown charset
        raise ContentError("bad PO file", (Problem(Path(display), getattr(exc, "lineno", None), None,
                                                   f"not a readable PO file: {exc}"),)) from None
    entries = {(m.context, m.id): Entry(m.string, m.fuzzy, m.lineno)
               for m in catalog if m.id and isinstance(m.id, str) and isinstance(m.string, str)}
    problems = [problem for (_ctx, english), entry in entries.items()
                for problem in _faithful(english, entry, display)]
    if problems:
        raise ContentError("unfaithful translation", tuple(sorted(problems, key=lambda p: p.line or 0)))
    return Translation(language, display, entries)


def _check_plurals(data: bytes, display: str) -> None:
    """The header's plural count, read as leniently as Babel reads it (quotes, underscores), at
    most MAX_PLURALS, before Babel makes lists of that many."""
    for found in re.finditer(rb"nplurals\s*=\s*([^;\\\n]*)", data[:10_000]):  # the header comes first
        value = found.group(1).decode("utf-8", "replace").strip().strip("\"'")
        try:
            count = int(value[:40])
        except ValueError:
            count = None
        if count is None or not 0 < count <= MAX_PLURALS:
            line = data.count(b"\n", 0, found.start()) + 1
            raise ContentError("bad PO file", (Problem(Path(display), line, None,
                               f"Plural-Forms: expected a number of plural forms from 1 to {MAX_PLURALS}, found "
                               f"{value[:20]!r}", "copy the Plural-Forms line of your language from the gettext "
                               "manual"),))


# What a translation must keep exactly as the English has it: the numbers (a dose, a year, a
# study's size: digit runs, so 4.5 and 4,5 agree, and ٤ is 4), the {{facts}} and the [@citations].
_NUMBER = re.compile(r"\d+")
_FACT = re.compile(r"\{\{\s*\w+\s*\}\}")
_CITATION = re.compile(r"@[\w:.-]+")


def invariants(text: str) -> dict[str, list[str]]:
    return {"numbers": sorted(str(int(run)) for run in _NUMBER.findall(text)), "facts": sorted(_FACT.findall(text)),
            "citations": sorted(_CITATION.findall(text))}


def _faithful(english: str, entry: Entry, display: str) -> list[Problem]:
    """What is wrong with one translation, at its PO line: invisible formatting, a length out of
    all proportion, or a number, fact or citation that is not the English one."""
    text = entry.text
    if not text or entry.fuzzy:
        return []
    from ldnpub.content.loading import FORBIDDEN, invisible_character

    def problem(message: str, hint: str) -> Problem:
        return Problem(Path(display), entry.line, None, f"the translation of \"{_short(english)}\" {message}", hint)

    hidden = invisible_character(text)
    if hidden:
        return [problem(f"has an {hidden[1]}", "delete it: retype the text around it if you cannot see it")]
    control = FORBIDDEN.search(text)
    if control:
        return [problem(f"has the control character U+{ord(control.group()):04X}", "delete it")]
    if len(text) > MAX_GROWTH * len(english) + MAX_EXTRA:
        return [problem(f"is {len(text):,} characters long, for {len(english):,} in English",
                        "translate this string only; a msgstr holds the translation of its msgid")]
    wanted, found = invariants(english), invariants(text)
    return [problem(f"must keep the English {kind}: {', '.join(wanted[kind]) or 'none'} "
                    f"(found: {', '.join(found[kind]) or 'none'})",
                    "write numbers in digits as the English does, and copy {{facts}} and [@citations] unchanged")
            for kind in wanted if wanted[kind] != found[kind]]


@functools.cache
def babel_locale(language: str):
    """Babel's locale for a language code (es, pt-BR), or None if Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


# --- translating a project's files ----------------------------------------------------------

@dataclass
class Translator:
    """Swaps each translatable string of the files it is given; collects what it could not."""

    translation: Translation
    allow_untranslated: bool = False

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []
        self.untranslated: set[str] = set()  # English kept, where allowed
        self.source_language: str | None = None
        self.po_lines: dict[tuple[str, DataPath], int] = {}  # where each translated string stands in the PO file

    def apply(self, raw: RawFile, cls: type[BaseModel]) -> RawFile:
        data = copy.deepcopy(raw.data)
        for at, text in translatable(cls, raw.data):
            ctx = context(raw.path, at)
            found = self.translation.get(ctx, text)
            if found is None:
                self._missing(raw, at, ctx, text)
                continue
            _set(data, at, found)
            self.po_lines[(raw.display, at)] = self.translation.entries[(ctx, text)].line
            if cls is model.Publication and at[:1] == ("safety",):
                self._keeps_key_words(ctx, text, found)
        if cls is model.Publication and isinstance(data, dict):
            self.source_language = data.get("language")
            data["language"] = self.translation.language
        return RawFile(raw.path, raw.display, data, raw.positions)

    def _keeps_key_words(self, ctx: str, english: str, found: str) -> None:
        """The safety panel's translation keeps every glossary term its English uses ("opioid"
        stays "opioide"): the warning a reader must not miss cannot lose its subject."""
        for forms, translated in self.translation.glossary_forms():
            if not any(re.search(rf"\b{re.escape(form)}\b", english, re.IGNORECASE) for form in forms):
                continue
            if not any(word.lower() in found.lower() for word in translated):
                entry = self.translation.entries[(ctx, english)]
                self.problems.append(Problem(Path(self.translation.display), entry.line, None,
                                     f"the translation of \"{_short(english)}\" drops \"{forms[0]}\" "
                                     f"({' / '.join(translated)}): the safety panel keeps its key words",
                                     "use the glossary's translation of the term in this sentence"))

    def check_labels(self, labels: list[Label]) -> None:
        seen = set()
        for label in labels:
            if label.text in seen:
                continue  # the same label in several layouts (or a project's copy of one) is one string
            seen.add(label.text)
            found = self.translation.get(None, label.text)
            if found is None:
                self._report(Path(label.file), label.line, None, label.text, None)
            elif _markup(found) != _markup(label.text):
                self._label_problem(label, f"must keep the English one's tags and %(name)s fields: "
                                           f"{' '.join(_markup(label.text)) or 'none'}",
                                    "copy them from the msgid unchanged; translate only the words between them")
            elif "%(" in label.text and not only_named_fields(found):
                self._label_problem(label, "has a % that is not part of a %(name)s field",
                                    "write %% for a percent sign")

    def _label_problem(self, label: Label, message: str, hint: str) -> None:
        entry = self.translation.entries[(None, label.text)]
        self.problems.append(Problem(Path(self.translation.display), entry.line, None,
                                     f"the translation of \"{_short(label.text)}\" {message}", hint))

    def _missing(self, raw: RawFile, at: DataPath, ctx: str, text: str) -> None:
        line, column = raw.locate(at)
        self._report(Path(raw.display), line, column, text, ctx, field_path(at))

    def _report(self, file: Path, line: int | None, column: int | None, text: str, ctx: str | None,
                where: str = "") -> None:
        if self.allow_untranslated:
            self.untranslated.add(text)
            return
        entry = self.translation.entries.get((ctx, text))
        language, po = self.translation.language, self.translation.display
        short = _short(text)
        if entry and entry.fuzzy:
            self.problems.append(Problem(Path(po), entry.line, None, f"fuzzy: the English changed since it was "
                                         f"translated: \"{short}\"", "check the translation, then delete the "
                                         "'#, fuzzy' line above it"))
        else:
            self.problems.append(Problem(file, line, column, f"{where + ': ' if where else ''}no {language} "
                                         f"translation of \"{short}\"", f"translate it in {po} (`ldnpub translations "
                                         f"extract {language}` adds new strings), or build with --allow-untranslated"))


MAX_LISTED = 30  # a translation just started misses hundreds: the first ones and a count say enough


def listed(problems: list[Problem], language: str) -> list[Problem]:
    if len(problems) <= MAX_LISTED:
        return problems
    more = len(problems) - MAX_LISTED
    return problems[:MAX_LISTED] + [Problem(None, None, None, f"... and {more} more strings not translated to {language}",
                                            f"`ldnpub check --language {language}` reports the coverage of each document")]


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "..."


def _markup(text: str) -> list[str]:
    """A label's tags and %(name)s fields, in order; a stray < or > counts as a tag of its own,
    so a translation cannot smuggle markup in."""
    return re.findall(r"<[^<>]*>|%\(\w+\)s|[<>]", text)


def only_named_fields(text: str) -> bool:
    """Every % of the label is part of a %(name)s field or a %% sign: the layout fills nothing
    else (and a field width such as %(version)999999999s would allocate without bound)."""
    return "%" not in re.sub(r"%%|%\(\w+\)s", "", text)


def _set(data: Any, at: DataPath, value: str) -> None:
    for part in at[:-1]:
        data = data[part]
    data[at[-1]] = value


# --- labels of the layouts ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Label:
    text: str
    file: str  # as messages show it
    line: int


def layout_labels(roots: tuple[Path, ...]) -> list[Label]:
    """Every label marked for translation in the layouts of the search path."""
    from babel.messages.extract import extract_from_file
    from jinja2.ext import babel_extract

    labels = []
    for root in roots:
        folder = root / "layouts"
        for path in sorted(folder.rglob("*.html")):
            shown = path.relative_to(root).as_posix()  # the shipped layouts' labels are named alike
            for line, text, _comments, _ctx in extract_from_file(babel_extract, str(path), options=JINJA_OPTIONS):
                if isinstance(text, str):
                    labels.append(Label(text, shown, line))
    return labels
