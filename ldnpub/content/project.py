"""The loaded project: every content file validated, and the brands a build opens."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ldnpub.content.loading import RawFile
from ldnpub.content.model import (
    Brand,
    Catalog,
    Condition,
    Document,
    GlossaryTerm,
    Publication,
    Reference,
    Section,
)
from ldnpub.content.review import ReviewRecord, ReviewStatus, status
from ldnpub.content.search import SearchPath
from ldnpub.content.translation import Translation


@dataclass(frozen=True, slots=True)
class LoadedBrand:
    """A validated brand and the files it brings."""

    id: str
    brand: Brand
    folder: Path
    logo: Path | None


@dataclass(frozen=True, slots=True)
class Project:
    """All content of a project, validated, loaded before anything renders."""

    root: Path
    search: "SearchPath"
    publication: Publication
    catalog: Catalog
    sections: dict[str, Section]
    conditions: dict[str, Condition]
    references: dict[str, Reference]
    glossary: tuple[GlossaryTerm, ...]
    raws: dict[str, "RawFile"]  # every content file read, by its display name, with each value's place
    translation: "Translation | None" = None  # in another language than the publication's: its PO file
    untranslated: frozenset[str] = frozenset()  # source-language text kept where no translation was (allowed)
    source_language: str | None = None  # the publication's own language, when this is a translation
    po_lines: dict[tuple[str, tuple], int] = field(default_factory=dict)
    reviews: dict[str, ReviewRecord] = field(default_factory=dict)  # sources/reviews.yaml, by language

    source_digest: str = ""  # of the text in the publication's own language (content.review)

    def review(self) -> ReviewStatus:
        """The clinical review of the text (in the publication's language), and whether the text
        is still what was reviewed."""
        record = self.reviews.get(self.source_language or self.publication.language)
        return ReviewStatus(record, record is not None and record.digest == self.source_digest)

    def translation_review(self) -> ReviewStatus | None:
        """A translation's recorded review by a medical translator; None in the publication's language."""
        if self.translation is None:
            return None
        return status(self.reviews, self.translation.language, self.raws)  # (file, data path): its translation's PO line

    @property
    def files(self) -> dict[str, Path]:
        return {name: raw.path for name, raw in self.raws.items()}

    def raw(self, relative: str) -> "RawFile":
        """A content file by its name in the project, e.g. sources/publication.yaml."""
        tail = Path(relative).parts
        return next(raw for raw in self.raws.values() if raw.path.parts[-len(tail):] == tail)

    def document(self, doc_id: str) -> Document:
        return next(d for d in self.catalog.documents if d.id == doc_id)
