"""Tailoring: (Project, BuildTarget) -> Edition, one document ready for its layout.

An Edition holds only what its reader gets: the blocks for its condition, references numbered
in order of first citation, the glossary terms its text uses. Text is escaped Markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup

from . import inline
from .model import (CONDITION_SECTION, Block, Condition, Document, LoadedBrand, Organization, Project,
                    Publication, Reference, Section)

@dataclass(frozen=True, slots=True)
class BuildTarget:
    """One file a build writes: a document for one condition, variant, paper and brand."""

    document: str
    paper: str
    condition: str | None = None
    variant: str = "standard"
    brand: str | None = None
    bleed: str | None = None  # a CSS length, e.g. "3mm"
    crop_marks: bool = False

    @property
    def output_name(self) -> str:
        """Predictable from the fields; fields are ids (no '_'), so names never collide."""
        parts = [self.document, self.condition, self.brand,
                 None if self.variant == "standard" else self.variant, self.paper,
                 f"bleed-{self.bleed}" if self.bleed else None, "crop" if self.crop_marks else None]
        return "_".join(p for p in parts if p) + ".pdf"

    @property
    def html_name(self) -> str:
        return self.output_name.removesuffix(".pdf") + ".html"

    @property
    def imposed_name(self) -> str:
        return self.output_name.removesuffix(".pdf") + "_imposed.pdf"


@dataclass(frozen=True, slots=True)
class BlockView:
    """A content block ready for a template; which fields are set depends on `type`."""

    type: str
    text: Markup = Markup("")
    title: Markup = Markup("")
    kind: str = ""
    items: tuple[Markup, ...] = ()
    ordered: bool = False
    header: tuple[Markup, ...] = ()
    rows: tuple[tuple[Markup, ...], ...] = ()
    src: str = ""
    alt: str = ""


@dataclass(frozen=True, slots=True)
class SubsectionView:
    id: str
    title: Markup
    blocks: tuple[BlockView, ...]


@dataclass(frozen=True, slots=True)
class SectionView:
    id: str
    title: Markup
    key_points: tuple[Markup, ...]
    blocks: tuple[BlockView, ...]
    subsections: tuple[SubsectionView, ...]
    studies: Markup = Markup("")  # a condition's references, as citation numbers


@dataclass(frozen=True, slots=True)
class ReferenceView:
    number: int
    key: str
    text: Markup


@dataclass(frozen=True, slots=True)
class GlossaryView:
    term: str
    definition: Markup


@dataclass(frozen=True, slots=True)
class Edition:
    target: BuildTarget
    document: Document
    title: str
    subtitle: str
    publication: Publication
    contact: Organization
    brand: LoadedBrand | None
    condition: Condition | None
    sections: tuple[SectionView, ...]
    references: tuple[ReferenceView, ...]
    glossary: tuple[GlossaryView, ...]
    disclaimer: Markup
    talk_to_professional: Markup
    facts: dict[str, str] = field(default_factory=dict)


def tailor(project: Project, target: BuildTarget, brand: LoadedBrand | None = None) -> Edition:
    """The edition of one document for one target (and the target's brand, if any)."""
    document = project.document(target.document)
    publication = project.publication
    condition = project.conditions[target.condition] if target.condition else None
    sections = edition_sections(project, document, condition)
    numbers = number_references(_texts(sections))
    facts = dict(publication.facts)

    def md(text: str) -> Markup:
        return inline.to_markup(text, facts, numbers)

    def image(src: str) -> str:
        return project.search.find(f"sources/{src}").as_uri()

    return Edition(
        target=target,
        document=document,
        title=edition_title(document, condition),
        subtitle=publication.subtitle or "",
        publication=publication,
        contact=brand.brand.contact() if brand else publication.organization,
        brand=brand,
        condition=condition,
        sections=tuple(_section_view(section, md, image) for section in sections),
        references=tuple(ReferenceView(n, key, format_reference(project.references[key]))
                         for key, n in numbers.items()),
        glossary=tuple(GlossaryView(t.term, md(t.definition))
                       for t in glossary_used(project, _texts(sections))),
        disclaimer=md(publication.disclaimer),
        talk_to_professional=md(publication.talk_to_professional),
        facts=facts,
    )


def edition_title(document: Document, condition: Condition | None) -> str:
    if condition is None:
        return document.title
    if document.condition_title:
        return document.condition_title.replace("{condition}", condition.name)
    return f"{document.title}: {condition.name}"


def edition_sections(project: Project, document: Document, condition: Condition | None) -> list[Section]:
    """The document's sections for this condition; the condition's own section where the
    catalog places it, left out of a general edition."""
    sections = []
    for section_id in document.sections:
        if section_id == CONDITION_SECTION:
            if condition is not None:
                sections.append(condition_section(condition))
        else:
            sections.append(_for_condition(project.sections[section_id], condition.id if condition else None))
    return sections


def condition_section(condition: Condition) -> Section:
    """A condition's file as a section; its references are cited as its studies."""
    studies = "; ".join(f"@{key}" for key in condition.references)
    return Section(id=f"condition-{condition.id}", title=condition.title or condition.name,
                   key_points=condition.key_points, blocks=condition.blocks,
                   studies=f"[{studies}]" if studies else None)


def _for_condition(section: Section, condition: str | None) -> Section:
    """The section without the blocks and subsections limited to other conditions."""
    def keep(item) -> bool:
        return not item.conditions or (condition is not None and condition in item.conditions)

    subsections = tuple(
        sub.model_copy(update={"blocks": tuple(b for b in sub.blocks if keep(b))})
        for sub in section.subsections if keep(sub)
    )
    return section.model_copy(update={"blocks": tuple(b for b in section.blocks if keep(b)),
                                      "subsections": subsections})


def _block_texts(block: Block) -> list[str]:
    match block.type:
        case "paragraph":
            return [block.text]
        case "list":
            return list(block.items)
        case "callout":
            return [block.title, block.text]
        case "qa":
            return [block.question, block.answer]
        case "figure":
            return [block.caption or ""]
        case "table":
            return [block.caption, *block.header, *(cell for row in block.rows for cell in row)]
    return []


def _texts(sections: list[Section]) -> list[str]:
    """Every text of the sections in reading order."""
    texts: list[str] = []
    for section in sections:
        texts.append(section.title)
        texts.extend(section.key_points)
        texts.append(section.studies or "")
        for block in section.blocks:
            texts.extend(_block_texts(block))
        for sub in section.subsections:
            texts.append(sub.title)
            for block in sub.blocks:
                texts.extend(_block_texts(block))
    return texts


def number_references(texts: list[str]) -> dict[str, int]:
    """Reference numbers in order of first citation."""
    numbers: dict[str, int] = {}
    for text in texts:
        for key in inline.citation_keys(text):
            numbers.setdefault(key, len(numbers) + 1)
    return numbers


def glossary_used(project: Project, texts: list[str]):
    """The glossary terms the texts use, alphabetically."""
    joined = " ".join(texts).lower()
    used = []
    for term in project.glossary:
        forms = (term.term, *term.also)
        if any(re.search(rf"\b{re.escape(form.lower())}\b", joined) for form in forms):
            used.append(term)
    return sorted(used, key=lambda t: t.term.lower())


def format_reference(ref: Reference) -> Markup:
    """APA-like: Authors (year). Title. *Journal*, volume(issue), pages."""
    authors = list(ref.authors)
    names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + ", & " + authors[-1]
    source = f"*{ref.journal}*"
    if ref.volume:
        source += f", {ref.volume}" + (f"({ref.issue})" if ref.issue else "")
    if ref.pages:
        source += f", {ref.pages}"
    title = ref.title if ref.title.endswith((".", "?", "!")) else ref.title + "."
    return inline.to_markup(f"{names} ({ref.year}). {title} {source}.", {}, {})


def _section_view(section: Section, md, image) -> SectionView:
    return SectionView(
        id=section.id,
        title=md(section.title),
        key_points=tuple(md(p) for p in section.key_points),
        blocks=tuple(_block_view(b, md, image) for b in section.blocks),
        subsections=tuple(
            SubsectionView(f"{section.id}-{i + 1}", md(sub.title),
                           tuple(_block_view(b, md, image) for b in sub.blocks))
            for i, sub in enumerate(section.subsections)
        ),
        studies=md(section.studies) if section.studies else Markup(""),
    )


def _block_view(block: Block, md, image) -> BlockView:
    match block.type:
        case "paragraph":
            return BlockView("paragraph", text=md(block.text))
        case "list":
            return BlockView("list", items=tuple(md(i) for i in block.items), ordered=block.ordered)
        case "callout":
            return BlockView("callout", kind=block.kind, title=md(block.title), text=md(block.text))
        case "qa":
            return BlockView("qa", title=md(block.question), text=md(block.answer))
        case "figure":
            return BlockView("figure", src=image(block.src), alt=block.alt, title=md(block.caption or ""))
        case "table":
            return BlockView("table", title=md(block.caption), header=tuple(md(h) for h in block.header),
                             rows=tuple(tuple(md(c) for c in row) for row in block.rows))
    raise AssertionError(block.type)
