"""Glyph coverage: every character a document prints has a glyph in a font in use, so no
reader gets an empty box. Checked on the rendered HTML, before any PDF is made; a character
no font has is reported with the place it comes from (a content file, or a PO file's line)."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from ldnpub.base import fonts
from ldnpub.base.errors import BuildError, Problem
from ldnpub.content.loading import strings
from ldnpub.content.project import Project

TAG = re.compile(r"<[^>]*>")
UNDRAWN = ("Z", "C")  # spaces, controls, format characters (soft hyphen, joiners): nothing to draw


def printed_text(page_html: str) -> str:
    """The text of the HTML (the <style> elements included: a page footer's words are in CSS)."""
    return html.unescape(TAG.sub(" ", page_html))


def missing(text: str, fallbacks: tuple[str, ...] = ()) -> list[str]:
    """The characters of the text that no font in use can draw, in order of first use."""
    have = fonts.covered(fallbacks)
    return [c for c in dict.fromkeys(text)
            if ord(c) not in have and unicodedata.category(c)[0] not in UNDRAWN]


def check(page_html: str, project: Project, name: str) -> None:
    """Raise BuildError, one problem per character, if the page prints what no font can draw."""
    fallbacks = tuple(project.publication.fallback_fonts.values())
    absent = missing(printed_text(page_html), fallbacks)
    if absent:
        raise BuildError("missing glyphs", tuple(_problem(project, char, name) for char in absent))


def _problem(project: Project, char: str, name: str) -> Problem:
    what = f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"
    message = f"{name}: no font in use has a glyph for '{char}' ({what}): it would print as an empty box"
    hint = ("install a font package that has it (e.g. pip install fontpkg-noto-sans-arabic for Arabic) "
            "and name it under fallback_fonts in sources/publication.yaml, or remove the character")
    file, line, column = _place(project, char)
    return Problem(file, line, column, message, hint)


def _place(project: Project, char: str) -> tuple[Path | None, int | None, int | None]:
    """Where the character comes from: a translation's PO line, else a content file's."""
    if project.translation:
        for entry in project.translation.entries.values():
            if char in entry.text:
                return Path(project.translation.display), entry.line, None
    for raw in project.raws.values():
        for at, text in strings(raw.data):
            if char in text:
                line, column = raw.locate(at)
                return Path(raw.display), line, column
    return None, None, None  # a layout or the brand file
