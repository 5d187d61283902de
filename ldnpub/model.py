"""The content model: immutable, validated types for every content file. No I/O here.

Each model describes one YAML file (or a part of one). Validation (validate.py) turns loaded
YAML into these and maps every problem back to its file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

if TYPE_CHECKING:
    from .project import SearchPath

RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")


def _no_raw_html(text: str) -> str:
    if RAW_HTML.search(text):
        raise ValueError("raw HTML is not allowed in content; use *emphasis*, **strong** or [text](https://...)")
    return text


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True), AfterValidator(_no_raw_html)]
Paper = Literal["a4", "letter"]
PAPERS: tuple[str, ...] = ("a4", "letter")
VARIANTS: tuple[str, ...] = ("standard", "large-print", "high-contrast")


class Strict(BaseModel):
    """Unknown fields are errors and nothing changes after validation."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class BlockBase(Strict):
    conditions: tuple[Id, ...] = Field((), description="Show this block only in editions for these conditions.")


class Paragraph(BlockBase):
    type: Literal["paragraph"] = "paragraph"
    text: Text
    uncited: Text | None = Field(None, description="Why this paragraph of evidence cites no reference.")


class ListBlock(BlockBase):
    type: Literal["list"]
    items: tuple[Text, ...] = Field(min_length=1)
    ordered: bool = False


class Callout(BlockBase):
    type: Literal["callout"]
    kind: Literal["talk", "tip", "warning"] = Field(description="talk: see your clinician; warning: side effects.")
    title: Text
    text: Text


class QuestionAnswer(BlockBase):
    type: Literal["qa"]
    question: Text
    answer: Text


class Figure(BlockBase):
    type: Literal["figure"]
    src: str = Field(description="Image file (SVG or PNG), relative to the sources folder.")
    alt: Text = Field(description="What the image shows, for readers who cannot see it.")
    caption: Text | None = None


class Table(BlockBase):
    type: Literal["table"]
    caption: Text
    header: tuple[Text, ...] = Field(min_length=1)
    rows: tuple[tuple[Text, ...], ...] = Field(min_length=1)


def _paragraph_shorthand(value: object) -> object:
    # A bare string in a list of blocks is a paragraph: editors write mostly prose.
    return {"type": "paragraph", "text": value} if isinstance(value, str) else value


Block = Annotated[
    Union[Paragraph, ListBlock, Callout, QuestionAnswer, Figure, Table],
    Field(discriminator="type"),
    BeforeValidator(_paragraph_shorthand),
]
BLOCK_TYPES = ("paragraph", "list", "callout", "qa", "figure", "table")


class Subsection(Strict):
    title: Text
    blocks: tuple[Block, ...] = ()
    conditions: tuple[Id, ...] = ()


class Section(Strict):
    """One file in sources/sections/: a section of the publication."""

    id: Id
    title: Text
    key_points: tuple[Text, ...] = Field(min_length=1, description="Plain-language summary, grade 6 to 8.")
    evidence: bool = Field(False, description="Evidence content: every paragraph cites a reference.")
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Subsection, ...] = ()
    studies: Text | None = Field(None, description="Citations of the studies behind this section, e.g. [@a; @b].")


class Condition(Strict):
    """One file in sources/conditions/: what the publication says about one condition."""

    id: Id
    name: Text
    short_name: Text
    title: Text | None = Field(None, description="Heading of the condition's own section (default: its name).")
    aliases: tuple[Text, ...] = ()
    key_points: tuple[Text, ...] = Field(min_length=1)
    blocks: tuple[Block, ...] = ()
    references: tuple[Id, ...] = ()


class Reference(Strict):
    key: Id
    authors: tuple[Text, ...] = Field(min_length=1)
    year: int
    title: Text
    journal: Text
    volume: Text | None = None
    issue: Text | None = None
    pages: Text | None = None


class ReferencesFile(Strict):
    references: tuple[Reference, ...]


class GlossaryTerm(Strict):
    term: Text
    definition: Text
    also: tuple[Text, ...] = Field((), description="Other spellings and forms that count as this term.")


class GlossaryFile(Strict):
    terms: tuple[GlossaryTerm, ...]


class Organization(Strict):
    name: Text
    website: Text | None = None
    email: Text | None = None
    phone: Text | None = None
    address: Text | None = None


class Readability(Strict):
    """Plain-language thresholds for key points (Flesch-Kincaid grade)."""

    target_grade: float = Field(6, description="Above this, check warns.")
    max_grade: float = Field(8, description="Above this, check fails.")


class Publication(Strict):
    """sources/publication.yaml: what every document says about itself."""

    id: Id
    title: Text
    subtitle: Text | None = None
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
    organization: Organization
    version: Text
    published: dt.date
    last_reviewed: dt.date
    next_review: dt.date
    authors: tuple[Text, ...] = Field(min_length=1)
    reviewers: tuple[Text, ...] = ()
    source_note: Text | None = None
    keywords: tuple[Text, ...] = ()
    disclaimer: Text
    talk_to_professional: Text
    facts: dict[Id | str, Text] = Field(default_factory=dict, description="Values written once, used as {{name}}.")
    readability: Readability = Readability()


CONDITION_SECTION = "condition"  # in a document's sections: the tailored condition's own section


class Document(Strict):
    """One entry of the catalog: a document the build can write."""

    id: Id
    title: Text
    condition_title: Text | None = Field(
        None, description="Title of a tailored edition; {condition} stands for the condition's name.")
    layout: Id
    sections: tuple[Id, ...] = Field(min_length=1, description=(
        "Section ids in order; 'condition' places the tailored condition's own section."))
    tailored: bool = Field(False, description="Built once per condition when conditions are chosen.")
    per_condition: bool = Field(False, description="Built only per condition, never as a general edition.")
    papers: tuple[Paper, ...] = PAPERS
    variants: tuple[Literal["standard", "large-print", "high-contrast"], ...] = Field(
        ("standard", "large-print", "high-contrast"), description="The variants the layout offers.")
    max_pages: int | None = Field(None, ge=1, description="Fail the build if the document runs longer.")
    max_pages_large_print: int | None = Field(None, ge=1, description="The same limit for large print.")
    page_multiple: int = Field(1, ge=1, description="Pad with the layout's spare pages to a multiple of this (4 for saddle stitching).")


class Catalog(Strict):
    """sources/catalog.yaml: the documents of the publication."""

    default_paper: Paper = "a4"
    documents: tuple[Document, ...] = Field(min_length=1)


HexColor = Annotated[str, StringConstraints(pattern=COLOR_PATTERN)]


class Logo(Strict):
    file: Text = Field(description="SVG or PNG, relative to the brand file, inside its folder.")
    alt: Text = Field(description="What the logo shows, for readers who cannot see it.")


class BrandColors(Strict):
    primary: HexColor = Field(description="Headings and bands; at least 4.5:1 against white.")
    accent: HexColor | None = Field(None, description="Box edges; at least 3:1 against white.")


class Brand(Strict):
    """A clinic or group whose name, logo and contacts replace the publisher's."""

    id: Id | None = Field(None, description="Used in file names; defaults to the file name.")
    name: Text
    logo: Logo | None = None
    address: Text | None = None
    phone: Text | None = None
    email: Text | None = None
    website: Text | None = None
    colors: BrandColors | None = None
    qr: Text | None = Field(None, description="A web address shown as a QR code.")

    def contact(self) -> Organization:
        return Organization(name=self.name, address=self.address, phone=self.phone,
                            email=self.email, website=self.website)


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
    files: dict[str, Path]  # every content file read, by a display name: the inputs of a build

    def document(self, doc_id: str) -> Document:
        return next(d for d in self.catalog.documents if d.id == doc_id)
