"""What the rules read: the project, the sections to check with their files, the rendered editions,
and where each value stands in its YAML file."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ldnpub.base.errors import LdnpubError, Problem
from ldnpub.content.loading import DataPath, RawFile
from ldnpub.content.model import CONDITION_SECTION, Block, Document, Section
from ldnpub.content.project import Project
from ldnpub.render.html import render
from ldnpub.edition.tailor import condition_section, tailor
from ldnpub.base.targets import BuildTarget
from ldnpub.content.load import field_path
from ldnpub.checks.readability import Scale, scale
from ldnpub.checks.report import ERROR

HEAD = re.compile(r"<head\b.*?</head>", re.IGNORECASE | re.DOTALL)  # metadata: not what a reader sees
TAG = re.compile(r"<[^>]*>")


@dataclass
class Content:
    """What the rules read: the project (with the positions of every value of its files), the
    sections to check with their files, and each document's rendered HTML, made once."""

    project: Project
    parts: list[tuple[str, Section]] = field(init=False)

    render_problems: list[Problem] = field(default_factory=list)
    _pages: list[tuple[int, Document, str]] | None = None

    def __post_init__(self) -> None:
        self.parts = parts_to_check(self.project)
        self.scale = scale_for(self.project)

    @property
    def english(self) -> bool:
        """The rules about English words (jargon) apply."""
        return self.project.publication.language.split("-")[0] == "en"

    def pages(self) -> list[tuple[int, Document, str]]:
        """(index in the catalog, document, HTML) of each document's general edition, rendered once;
        a document that does not render is reported once, in render_problems."""
        if self._pages is None:
            self._pages = []
            for index, document in enumerate(self.project.catalog.documents):
                try:
                    page = render(self.project, tailor(self.project, general_target(self.project, document)))
                except LdnpubError as exc:
                    self.render_problems.extend(exc.problems)
                    continue
                self._pages.append((index, document, page.html))
        return self._pages

    def editions(self, document: Document) -> list[str]:
        """The HTML of every edition of a document: one per condition where it is made per
        condition or tailored, else its general edition."""
        if not (document.per_condition or document.tailored):
            return [page for _, d, page in self.pages() if d.id == document.id]
        pages = []
        for condition in self.project.conditions:
            target = BuildTarget(document=document.id, paper=self.project.catalog.default_paper, condition=condition,
                                 layout=document.layout)
            try:
                pages.append(render(self.project, tailor(self.project, target)).html)
            except LdnpubError:
                continue  # the general edition's rendering reports it
        return pages

    def raw(self, relative: str) -> RawFile:
        """A content file by its name in the project, e.g. sources/publication.yaml (parsed once,
        when the project was loaded)."""
        return self.project.raw(relative)

    def problem(self, relative: str, at: DataPath, message: str, hint: str = "",
                severity: str = ERROR) -> Problem:
        """A Problem at a value of a file, its path in front of the message."""
        raw = self.raw(relative)
        # Only the part of the path that is in the file: a paragraph written as a plain
        # string is blocks[0], not blocks[0].text.
        while at and at not in raw.positions:
            at = at[:-1]
        where = field_path(at)
        text = f"{where}: {message}" if where else message
        po_line = self._po_line(raw.display, at)
        if po_line:  # translated text: the translator's place, the content file named
            return Problem(Path(self.project.translation.display), po_line, None, f"{raw.display} {text}", hint, severity)
        line, column = raw.locate(at)
        return Problem(Path(raw.display), line, column, text, hint, severity)

    def _po_line(self, display: str, at: DataPath) -> int | None:
        """The PO line of the first translated string at or inside `at`, in a translation."""
        lines = [line for (file, path), line in self.project.po_lines.items()
                 if at and file == display and path[:len(at)] == at]
        return min(lines, default=None)


def parts_to_check(project: Project) -> list[tuple[str, Section]]:
    """The sections the catalog uses, in order of first use, then every condition as the
    section it becomes in a tailored edition; each with its file."""
    used = dict.fromkeys(s for d in project.catalog.documents for s in d.sections if s != CONDITION_SECTION)
    parts = [(f"sources/sections/{s}.yaml", project.sections[s]) for s in used if s in project.sections]
    parts += [(f"sources/conditions/{c.id}.yaml", condition_section(c)) for c in project.conditions.values()]
    return parts


def located_blocks(section: Section) -> Iterator[tuple[DataPath, Block]]:
    """Every block of a section with where it stands in the YAML."""
    for index, block in enumerate(section.blocks):
        yield ("blocks", index), block
    for s_index, sub in enumerate(section.subsections):
        for index, block in enumerate(sub.blocks):
            yield ("subsections", s_index, "blocks", index), block


def located_texts(section: Section) -> Iterator[tuple[DataPath, str]]:
    """Every text a reader sees in a section, headings and captions included."""
    yield ("title",), section.title
    for index, point in enumerate(section.key_points):
        yield ("key_points", index), point
    for index, sub in enumerate(section.subsections):
        yield ("subsections", index, "title"), sub.title
    for at, block in located_blocks(section):
        for name in ("text", "title", "question", "answer", "caption", "alt", "note"):
            value = getattr(block, name, None)
            if isinstance(value, str):
                yield at + (name,), value
        for name in ("items", "header"):
            for index, value in enumerate(getattr(block, name, ())):
                yield (at + (name, index), value) if isinstance(value, str) else (at + (name, index, "text"), value.text)
        for r_index, row in enumerate(getattr(block, "rows", ())):
            for index, value in enumerate(row):
                yield at + ("rows", r_index, index), value


def general_target(project: Project, document: Document) -> BuildTarget:
    """The general edition of a document; a per-condition document has none, so its first condition."""
    condition = next(iter(project.conditions), None) if document.per_condition else None
    return BuildTarget(document=document.id, paper=project.catalog.default_paper, condition=condition,
                       layout=document.layout)


def html_text(page: str) -> str:
    """The words a reader sees on an HTML page, on one line."""
    return " ".join(html.unescape(TAG.sub(" ", HEAD.sub(" ", page))).split())


def scale_for(project: Project) -> Scale | None:
    """The scale the project's language is judged on: Flesch-Kincaid grades in English, the
    publication's formula and limits for a translation; None where it names none."""
    limits = project.publication.readability
    language = project.publication.language
    if language in limits.languages:
        own = limits.languages[language]
        return scale(own.formula, own.target, own.minimum)
    if language.split("-")[0] == "en":
        return scale("flesch-kincaid", limits.target_grade, limits.max_grade)
    return None
