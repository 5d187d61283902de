"""The content model: immutable, validated types for every content file. No I/O here.

Each model describes one YAML file (or a part of one). Validation (load.py) turns loaded
YAML into these and maps every problem back to its file and line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
)

from ldnpub.base import targets
from ldnpub.content.blocks import BLOCK_TYPES, Block
from ldnpub.content.blocks.safety import Safety
from ldnpub.content.types import (
    COLOR_PATTERN,
    CONDITIONS_HELP,
    LANGUAGE_PATTERN,
    Id,
    Prose,
    Strict,
    Text,
)

Paper = Literal[tuple(targets.PAPERS)]
VariantId = Literal[tuple(targets.VARIANTS)]
QR_MAX = 300  # characters; a longer address makes a QR code too dense to print at 2-3 cm


BLOCKS_HELP = ("The content, in order. A plain text line is a paragraph; other blocks have a type: "
               f"{', '.join(BLOCK_TYPES[:-1])} or {BLOCK_TYPES[-1]}.")



class Subsection(Strict):
    title: Prose = Field(description="The subsection's heading.")
    blocks: tuple[Block, ...] = Field((), description=BLOCKS_HELP)
    conditions: tuple[Id, ...] = Field((), description=CONDITIONS_HELP)


class ArticlePart(Strict):
    """The source article's own text for one section, printed only in the booklet's appendix."""

    title: Text | None = Field(None, description="The article's heading for this part, as the article has it.")
    blocks: tuple[Block, ...] = Field((), description="The article's text under that heading, word for word.")
    subsections: tuple[Subsection, ...] = Field((), description="The article's sub-headings and their text.")


class Section(Strict):
    """One file in sources/sections/: a section of the publication."""

    id: Id = Field(description=(
        "The section's id: the file name without .yaml (lowercase letters, digits, hyphens). "
        "The catalog lists sections by this id."))
    title: Prose = Field(description="The section's heading.")
    key_points: tuple[Prose, ...] = Field((), description=(
        "The main messages in plain language (aim for school grade 6, at most 8), shown first. "
        "A section that is a tool (next steps, questions to ask) may have none."))
    evidence: bool = Field(False, description=(
        "true for a section about research: every paragraph must cite a reference, "
        "or say why not with uncited."))
    blocks: tuple[Block, ...] = Field((), description=BLOCKS_HELP + " Shown before the subsections.")
    subsections: tuple[Subsection, ...] = Field((), description="Parts of the section, each with its own heading.")
    article: ArticlePart | None = Field(None, description=(
        "The source article's own text for this section, word for word. Printed only in the booklet, "
        "in \"The source article, in full\"; leaflets print the plain-language blocks."))
    evidence_note: Prose | None = Field(None, description=(
        "What the evidence is, in plain words, printed as a visible note (e.g. that no study is cited)."))


class Condition(Strict):
    """One file in sources/conditions/: what the publication says about one condition."""

    id: Id = Field(description=(
        "The condition's id: the file name without .yaml. Used in --condition and in a block's conditions."))
    name: Prose = Field(description="The condition's name as readers know it, e.g. Fibromyalgia.")
    short_name: Prose = Field(description="A shorter form of the name, where space is tight.")
    title: Prose | None = Field(None, description="Heading of the condition's own section (default: its name).")
    aliases: tuple[Text, ...] = Field((), description="Other names for the condition, e.g. [\"Crohn's disease\"].")
    key_points: tuple[Prose, ...] = Field(min_length=1, description=(
        "The main messages about this condition in plain language (aim for school grade 6, at most 8)."))
    blocks: tuple[Block, ...] = Field((), description=BLOCKS_HELP)
    evidence_note: Prose | None = Field(None, description=(
        "What the evidence for this condition is, in plain words, printed as a visible note, "
        "e.g. \"The article cites no study of LDN for multiple sclerosis.\""))
    references: tuple[Id, ...] = Field((), description=(
        "Keys of the references (in references.yaml) this condition's text cites."))


class Reference(Strict):
    key: Id = Field(description="A short id to cite it by, e.g. younger2013; the text cites it as [@younger2013].")
    authors: tuple[Text, ...] = Field(min_length=1, description="The authors, e.g. [\"Younger, J.\", \"Mackey, S.\"].")
    year: int = Field(description="Year of publication, e.g. 2013.")
    title: Text = Field(description="The article's title.")
    journal: Text = Field(description="The journal's name.")
    volume: Text | None = Field(None, description="Journal volume, in quotes, e.g. \"10\".")
    issue: Text | None = Field(None, description="Journal issue, in quotes, e.g. \"4\".")
    pages: Text | None = Field(None, description="Page range, in quotes, e.g. \"663–672\".")
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = Field(
        None, description="The DOI, e.g. 10.1007/s11481-013-9451-y.")
    summary: Prose | None = Field(None, description=(
        "What the study was, in plain words: its design and size, e.g. \"A small study of 10 women "
        "with fibromyalgia.\" Printed with the reference."))
    verified: bool = Field(True, description=(
        "false when the reference could not be found at its publisher or in an index: printed as not verified."))


class ReferencesFile(Strict):
    references: tuple[Reference, ...] = Field(description=(
        "Every reference the text may cite. Each document lists only those it cites, numbered in order."))


class GlossaryTerm(Strict):
    term: Prose = Field(description="The word or phrase as it appears in the text, e.g. titration.")
    definition: Prose = Field(description="What it means, in plain language.")
    also: tuple[Prose, ...] = Field((), description="Other spellings and forms that count as this term.")


class GlossaryFile(Strict):
    terms: tuple[GlossaryTerm, ...] = Field(description=(
        "Words to know. The booklet lists only the terms its text uses."))


class Organization(Strict):
    name: Prose = Field(description="The organization's name, shown on every document (unless a brand replaces it).")
    website: Text | None = Field(None, description="Web address, e.g. https://example.org.")
    email: Text | None = Field(None, description="Contact email address.")
    phone: Text | None = Field(None, description="Contact phone number, in quotes.")
    address: Text | None = Field(None, description="Postal address.")


class LanguageReadability(Strict):
    """Plain-language thresholds for a translation, on its language's own formula."""

    formula: Literal["fernandez-huerta", "szigriszt-pazos"] = Field(description=(
        "The formula (Spanish): fernandez-huerta (Flesch's reading ease recalibrated for Spanish) or "
        "szigriszt-pazos (INFLESZ). Both score 0 (very hard) to 100 (very easy)."))
    target: float = Field(description="The score the key points aim for; below it, ldnpub check warns.")
    minimum: float = Field(description="The lowest score allowed for the key points; below it, ldnpub check fails.")


class Readability(Strict):
    """Plain-language thresholds for key points (Flesch-Kincaid grade), and per translation."""

    target_grade: float = Field(6, description=(
        "School grade (Flesch-Kincaid) the key points aim for; above it, ldnpub check warns."))
    max_grade: float = Field(8, description=(
        "Highest school grade allowed for the key points; above it, ldnpub check fails."))
    languages: dict[Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)], LanguageReadability] = Field(
        default_factory=dict, description=(
            "Thresholds for translations, by language code, on that language's own formula, e.g. "
            "es: {formula: fernandez-huerta, target: 70, minimum: 60}."))


class TranslationReview(Strict):
    """A translation's review by a qualified medical translator: printed on every document."""

    reviewers: tuple[Text, ...] = Field(min_length=1, description="Who reviewed the translation, e.g. [\"M. García, medical translator\"].")
    date: dt.date = Field(description="When (YYYY-MM-DD).")


class Publication(Strict):
    """sources/publication.yaml: what every document says about itself."""

    id: Id = Field(description=(
        "The publication's id (lowercase letters, digits, hyphens). A project with another id "
        "uses only its own sources."))
    title: Prose = Field(description="The publication's title, shown on its documents.")
    subtitle: Prose | None = Field(None, description="A line under the title, e.g. \"A guide for patients\".")
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)] = Field(description=(
        "Language code of the text, e.g. en or en-GB (for screen readers and PDF metadata)."))
    organization: Organization = Field(description="Who publishes it: name and contact details on every document.")
    version: Text = Field(description="The content's version, in quotes, e.g. \"1.0\".")
    published: dt.date = Field(description="Date first published (YYYY-MM-DD).")
    last_reviewed: dt.date = Field(description="Date the content was last reviewed (YYYY-MM-DD).")
    next_review: dt.date = Field(description="Date by which the content must be reviewed again (YYYY-MM-DD).")
    authors: tuple[Prose, ...] = Field(min_length=1, description="Who wrote it (people or a team).")
    reviewers: tuple[Text, ...] = Field((), description="Who reviewed it, e.g. [\"A. Smith, PharmD\"].")
    source_note: Prose | None = Field(None, description="Where the content comes from, shown in the booklet.")
    source_author: Text | None = Field(None, description=(
        "Who wrote the source article, as it says; left out when it does not say (the documents then say so)."))
    source_date: Text | None = Field(None, description=(
        "When the source article was written or published, as it says; left out when it does not say."))
    keywords: tuple[Prose, ...] = Field((), description="Search words stored in the PDF files.")
    disclaimer: Prose = Field(description="The disclaimer every document shows, e.g. that this is not medical advice.")
    talk_to_professional: Prose = Field(description=(
        "The advice to talk to a healthcare professional, shown on every document."))
    facts: dict[Id | str, Prose] = Field(default_factory=dict, description=(
        "Values written once and used anywhere as {{name}}, e.g. dose_range: \"1 to 5 mg\"."))
    readability: Readability = Field(Readability(), description="Plain-language limits for the key points.")
    safety: Safety | None = Field(None, description=(
        "The safety panel every document prints: title and items (type may be left out)."))
    translation_reviews: dict[Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)], TranslationReview] = Field(
        default_factory=dict, description=(
            "Reviews of translations by a qualified medical translator, by language code, e.g. "
            "es: {reviewers: [...], date: 2027-01-15}. Until one is recorded, every document in that "
            "language says that its translation is not yet reviewed."))
    fallback_fonts: dict[str, Text] = Field(default_factory=dict, description=(
        "Fonts for scripts Atkinson Hyperlegible lacks, by script, e.g. arabic: Noto Sans Arabic. "
        "Each is found through an installed font package (pip install fontpkg-noto-sans-arabic), never downloaded."))


CONDITION_SECTION = "condition"  # in a document's sections: the tailored condition's own section


class Document(Strict):
    """One entry of the catalog: a document the build can write."""

    id: Id = Field(description="The document's id, used in file names and to build it alone (ldnpub build ID).")
    title: Prose = Field(description="The document's title.")
    condition_title: Prose | None = Field(
        None, description="Title of a tailored edition; {condition} stands for the condition's name.")
    layout: Id = Field(description="Its layout: a file in layouts/ without .html, e.g. booklet, leaflet or trifold.")
    sections: tuple[Id, ...] = Field(min_length=1, description=(
        "Section ids in order; 'condition' places the tailored condition's own section."))
    tailored: bool = Field(False, description="Built once per condition when conditions are chosen.")
    per_condition: bool = Field(False, description="Built only per condition, never as a general edition.")
    papers: tuple[Paper, ...] = Field(tuple(targets.PAPERS), description=(
        f"Paper sizes it can be printed on: {', '.join(targets.PAPERS)}."))
    variants: tuple[VariantId, ...] = Field(tuple(targets.VARIANTS), description="The variants the layout offers.")
    max_pages: int | None = Field(None, ge=1, description="Fail the build if the document runs longer.")
    max_pages_large_print: int | None = Field(None, ge=1, description="The same limit for large print.")
    pages: int | None = Field(None, ge=1, description=(
        "The pages it is meant to fit, e.g. 2 for one sheet printed on both sides: a document that runs "
        "longer is laid out again with tighter spacing (styles/fitting.css; the type never gets smaller), "
        "and the build warns where it still does not fit."))
    pages_large_print: int | None = Field(None, ge=1, description="The same budget for large print.")
    page_multiple: int = Field(1, ge=1, description="Pad with the layout's spare pages to a multiple of this (4 for saddle stitching).")
    key_points_only: bool = Field(False, description=(
        "Print only the key points of sections that have them (the whole of those that have none), "
        "as a tri-fold does: references and words to know then follow what is printed."))
    source_article: bool = Field(False, description=(
        "Print the source article's own text (each section's article part), word for word, as "
        "\"The source article, in full\": the article layout prints nothing else."))


class Catalog(Strict):
    """sources/catalog.yaml: the documents of the publication."""

    default_paper: Paper = Field("a4", description=(
        f"Paper size used when none is chosen: {' or '.join(targets.PAPERS)}."))
    documents: tuple[Document, ...] = Field(min_length=1, description="The documents a build writes.")


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
    name: Text = Field(description="The clinic's or group's name, on the cover or masthead.")
    logo: Logo | None = Field(None, description="The logo: an SVG or PNG file in this file's folder, and its alt text.")
    address: Text | None = Field(None, description="Postal address.")
    phone: Text | None = Field(None, description="Contact phone number, in quotes.")
    email: Text | None = Field(None, description="Contact email address.")
    website: Text | None = Field(None, description="Web address, e.g. https://clinic.example.")
    colors: BrandColors | None = Field(None, description="Colours as #rrggbb; they must stay readable on white.")
    qr: Annotated[Text, StringConstraints(max_length=QR_MAX)] | None = Field(
        None, description=f"A web address shown as a QR code (at most {QR_MAX} characters, so it prints scannably small).")

    def contact(self) -> Organization:
        return Organization(name=self.name, address=self.address, phone=self.phone,
                            email=self.email, website=self.website)


# The content files: where each lives in a project and the model it holds (a folder: one per file).
CONTENT_FILES: tuple[tuple[str, type[BaseModel]], ...] = (
    ("sources/publication.yaml", Publication),
    ("sources/catalog.yaml", Catalog),
    ("sources/references.yaml", ReferencesFile),
    ("sources/glossary.yaml", GlossaryFile),
    ("sources/sections", Section),
    ("sources/conditions", Condition),
)


def model_for(display: str) -> type[BaseModel] | None:
    """The model of a content file, from its name in messages (sources/sections/dosage.yaml)."""
    parts = Path(display).parts
    for relative, cls in CONTENT_FILES:
        tail = Path(relative).parts
        if parts[-len(tail):] == tail or parts[-len(tail) - 1:-1] == tail:
            return cls
    return None
