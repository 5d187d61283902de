"""Tailoring: (Project, BuildTarget) -> Edition, one document ready for its layout.

An Edition holds only what its reader gets: the blocks for its condition, references numbered
in order of first citation, the glossary terms its text uses. Text is escaped Markup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from ldnpub.content import inline
from ldnpub.base.targets import BuildTarget
from ldnpub.content import blocks as block_types
from ldnpub.content.blocks import BlockView
from ldnpub.content.model import (CONDITION_SECTION, ArticlePart, Block, Condition, Document, Organization, Publication, Reference, Section)
from ldnpub.content.project import LoadedBrand, Project

@dataclass(frozen=True, slots=True)
class SubsectionView:
    id: str
    title: Markup
    blocks: tuple[BlockView, ...]


@dataclass(frozen=True, slots=True)
class ArticleView:
    """The source article's own text for one section."""

    id: str
    title: Markup
    blocks: tuple[BlockView, ...]
    subsections: tuple[SubsectionView, ...]


@dataclass(frozen=True, slots=True)
class SectionView:
    id: str
    title: Markup
    key_points: tuple[Markup, ...]
    blocks: tuple[BlockView, ...]
    subsections: tuple[SubsectionView, ...]
    evidence_note: Markup = Markup("")


@dataclass(frozen=True, slots=True)
class ReferenceView:
    number: int
    key: str
    text: Markup
    summary: Markup = Markup("")  # what the study was, in plain words
    verified: bool = True  # found at its publisher or in an index; the layout says so when not


@dataclass(frozen=True, slots=True)
class GlossaryView:
    term: str
    definition: Markup


@dataclass(frozen=True, slots=True)
class TranslationView:
    """A translated edition's review by a medical translator: no reviewers until one is recorded."""

    language: str
    reviewers: tuple[str, ...] = ()
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ReviewView:
    """A recorded clinical review (sources/reviews.yaml): `current` while the text is still what
    was reviewed; after an edit the documents say it has changed since."""

    reviewer: str
    role: str
    date: dt.date
    current: bool


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
    safety: BlockView | None = None
    article: tuple[ArticleView, ...] = ()  # the source article, when the document prints it
    reviewed: bool = False  # a recorded review matches the text (or the publication names its reviewers)
    review: ReviewView | None = None  # the recorded review of this language's text, if any
    review_overdue: bool = False  # built after its next review date, on request: stamped on every page
    icons: dict[str, str] = field(default_factory=dict)  # the layout's own pictograms, by name
    translation: TranslationView | None = None  # in another language than the publication's
    untranslated: bool = False  # built with --allow-untranslated, and some text is still in the source language
    facts: dict[str, str] = field(default_factory=dict)


LAYOUT_ICONS = ("doctor", "safety", "medicines", "question", "write")  # pictograms layouts may use


def tailor(project: Project, target: BuildTarget, brand: LoadedBrand | None = None,
           review_overdue: bool = False) -> Edition:
    """The edition of one document for one target (and the target's brand, if any)."""
    document = project.document(target.document)
    publication = project.publication
    condition = project.conditions[target.condition] if target.condition else None
    sections = edition_sections(project, document, condition)
    if document.key_points_only:
        sections = [_key_points_only(section) for section in sections]
    articles = [s for s in sections if s.article] if document.source_article else []
    safety = (publication.safety,) if publication.safety else ()
    printed = _texts(sections, safety, articles)
    numbers = number_references(printed)
    facts = dict(publication.facts)

    def md(text: str) -> Markup:
        if text in project.untranslated:  # still in the source language: says so, for screen readers too
            return Markup('<span lang="{}">{}</span>').format(project.source_language,
                                                               inline.to_markup(text, facts, numbers))
        return inline.to_markup(text, facts, numbers)

    def image(src: str) -> str:
        return project.search.find(f"sources/{src}").as_uri()

    views = _Views(md, image, lambda name: icon_uri(project, name))

    return Edition(
        target=target,
        document=document,
        title=edition_title(document, condition),
        subtitle=publication.subtitle or "",
        publication=publication,
        contact=brand.brand.contact() if brand else publication.organization,
        brand=brand,
        condition=condition,
        sections=tuple(views.section(section) for section in sections),
        references=tuple(ReferenceView(n, key, format_reference(project.references[key]),
                                       md(project.references[key].summary or ""), project.references[key].verified)
                         for key, n in numbers.items()),
        glossary=tuple(GlossaryView(t.term, md(t.definition))
                       for t in glossary_used(project, printed)),
        disclaimer=md(publication.disclaimer),
        talk_to_professional=md(publication.talk_to_professional),
        safety=views.block(publication.safety) if publication.safety else None,
        article=tuple(views.article(s.id, s.article) for s in articles),
        reviewed=_reviewed(project),
        review=_review_view(project),
        review_overdue=review_overdue,
        icons={name: uri for name in LAYOUT_ICONS if (uri := icon_uri(project, name))},
        facts=facts,
        translation=translation_view(project),
        untranslated=bool(project.untranslated),
    )


def translation_view(project: Project) -> TranslationView | None:
    if project.translation is None:
        return None
    language = project.translation.language
    recorded = project.translation_review()
    if recorded.record is not None:  # recorded with its digest: true only while the text is unchanged
        record = recorded.record
        return TranslationView(language, (f"{record.reviewer}, {record.role}",), record.date) \
            if recorded.current else TranslationView(language)
    review = project.publication.translation_reviews.get(language)
    return TranslationView(language, review.reviewers, review.date) if review else TranslationView(language)


def _review_view(project: Project) -> ReviewView | None:
    found = project.review()
    if found.record is None:
        return None
    return ReviewView(found.record.reviewer, found.record.role, found.record.date, found.current)


def _reviewed(project: Project) -> bool:
    """Reviewed: a recorded review the text still matches; without any record, the publication's
    own list of reviewers (which `check` asks to record, so that it stays true)."""
    found = project.review()
    if found.record is not None:
        return found.current
    return bool(project.publication.reviewers)


def icon_uri(project: Project, name: str | None) -> str:
    """A pictogram of sources/icons/ as a file: URI; "" when there is none of that name."""
    path = project.search.find(f"sources/icons/{name}.svg") if name else None
    return path.as_uri() if path else ""


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
    """A condition's file as a section, with its note on the evidence."""
    return Section(id=f"condition-{condition.id}", title=condition.title or condition.name,
                   key_points=condition.key_points, blocks=condition.blocks,
                   evidence_note=condition.evidence_note)


def _key_points_only(section: Section) -> Section:
    """What a document that prints key points only keeps of a section (all of it when it has none)."""
    if not section.key_points:
        return section
    return section.model_copy(update={"blocks": (), "subsections": (), "evidence_note": None, "article": None})


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


def block_texts(block: Block) -> list[str]:
    """The texts a block prints, in reading order (its block type says which)."""
    return block_types.texts(block)


def _body_texts(blocks, subsections) -> list[str]:
    """The texts of blocks, then of each subsection's title and blocks."""
    texts = [text for block in blocks for text in block_texts(block)]
    for sub in subsections:
        texts.append(sub.title)
        texts.extend(text for block in sub.blocks for text in block_texts(block))
    return texts


def section_texts(section: Section) -> list[str]:
    """The plain-language texts of a section in reading order (not its article part)."""
    texts = [section.title, *section.key_points, *_body_texts(section.blocks, section.subsections)]
    return texts + ([section.evidence_note] if section.evidence_note else [])


def article_texts(part: ArticlePart) -> list[str]:
    return [part.title or "", *_body_texts(part.blocks, part.subsections)]


def _texts(sections: list[Section], safety: tuple[Block, ...] = (),
           articles: tuple[Section, ...] | list[Section] = ()) -> list[str]:
    """Every text a document prints, in reading order: the safety panel, the sections' plain
    text, then the source article where the document prints it."""
    texts = [text for block in safety for text in block_texts(block)]
    for section in sections:
        texts.extend(section_texts(section))
    for section in articles:
        texts.extend(article_texts(section.article))
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
    text = f"{names} ({ref.year}). {title} {source}."
    if ref.doi:
        text += f" doi:{ref.doi}"
    return inline.to_markup(text, {}, {})


@dataclass(frozen=True, slots=True)
class _Views:
    """Content models -> the views templates print, text rendered by md."""

    md: object
    image: object
    icon: object

    def section(self, section: Section) -> SectionView:
        return SectionView(
            id=section.id,
            title=self.md(section.title),
            key_points=tuple(self.md(p) for p in section.key_points),
            blocks=self.blocks(section.blocks),
            subsections=self.subsections(section.id, section.subsections),
            evidence_note=self.md(section.evidence_note) if section.evidence_note else Markup(""),
        )

    def article(self, section_id: str, part: ArticlePart) -> ArticleView:
        return ArticleView(f"article-{section_id}", self.md(part.title) if part.title else Markup(""),
                           self.blocks(part.blocks), self.subsections(f"article-{section_id}", part.subsections))

    def subsections(self, prefix: str, subsections) -> tuple[SubsectionView, ...]:
        return tuple(SubsectionView(f"{prefix}-{i + 1}", self.md(sub.title), self.blocks(sub.blocks))
                     for i, sub in enumerate(subsections))

    def blocks(self, blocks) -> tuple[BlockView, ...]:
        return tuple(self.block(b) for b in blocks)

    def block(self, block: Block) -> BlockView:
        return block_types.view(block, self)
