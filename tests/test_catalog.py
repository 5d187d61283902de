"""The shipped LDN catalog, built once from an empty folder, checked from the PDFs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SEED, body_text, pdf_text, trim

LEAFLETS = ["what-is-ldn", "starting-ldn", "evidence", "questions"]
DOCUMENTS = ["booklet", "at-a-glance", "source-article"] + LEAFLETS
A4 = (595.28, 841.89)
A5 = (419.53, 595.28)


def seed_lines() -> list[str]:
    """The article, line by line, as the booklet prints it: sub-heading letters dropped and
    each bullet's parenthetical reference replaced by a numbered citation (removed here)."""
    lines = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^[A-Z]\. ", "", line.strip()).removeprefix("- ")
        lines.append(_drop_parenthetical_reference(line))
    return [line for line in lines if line]


def _drop_parenthetical_reference(line: str) -> str:
    match = re.search(r" \([A-Z][a-z]+, [A-Z]\.", line)
    if not match:
        return line
    depth, end = 0, match.start() + 1
    for end in range(match.start() + 1, len(line)):
        depth += {"(": 1, ")": -1}.get(line[end], 0)
        if depth == 0:
            break
    return line[: match.start()] + line[end + 1:]


def sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", line) if s]


def without_citations(text: str) -> str:
    """Numbered citations and list bullets removed (pypdf reads bullets out of place)."""
    text = re.sub(r" \[\d+(?:, \d+)*\]", "", text)
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # a hyphenated word broken at its hyphen, at a line's end
    return " ".join(text.replace("•", " ").split())


def article_text(path: Path) -> str:
    """The source article document's text without its safety panel, which pypdf may read out of
    place (after the page's last column, in the middle of a sentence that runs onto the next page)."""
    text = without_citations(body_text(path))
    return re.sub(r"Safety first LDN is a prescription medicine\..*?This includes LDN\. ", "", text, count=1)


def test_every_sentence_of_the_article_is_in_the_source_article_document(catalog_dir):
    text = article_text(catalog_dir / "source-article_a4.pdf")
    missing = [s for line in seed_lines() for s in sentences(line) if s not in text]
    assert missing == []
    assert sum(len(sentences(line)) for line in seed_lines()) > 80


def test_the_seed_check_can_fail(catalog_dir):
    text = article_text(catalog_dir / "source-article_a4.pdf")
    assert "LDN is a therapeutic approach that harnesses" in text
    assert "LDN is a therapeutic approach that harnessed" not in text


def test_build_writes_every_document_and_a_manifest(catalog_dir):
    manifest = json.loads((catalog_dir / "manifest.json").read_text())
    paths = sorted(entry["path"] for entry in manifest["files"])
    assert paths == sorted(f"{d}_{trim(d)}.pdf" for d in DOCUMENTS)
    for entry in manifest["files"]:
        pdf = catalog_dir / entry["path"]
        assert entry["pages"] == len(PdfReader(pdf).pages)
        assert entry["paper"] == "a4" and entry["variant"] == "standard"
        assert entry["condition"] is None and entry["brand"] is None
        assert len(entry["sha256"]) == 64
    assert not list(catalog_dir.glob("*.part"))


def test_booklet_pages_are_a5_and_a_multiple_of_four(catalog_dir):
    reader = PdfReader(catalog_dir / "booklet_a5.pdf")
    assert len(reader.pages) % 4 == 0
    assert len(reader.pages) >= 16
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A5, abs=0.5)


@pytest.mark.parametrize("doc", LEAFLETS)
def test_leaflets_are_printed_on_both_sides_of_a4(catalog_dir, doc):
    reader = PdfReader(catalog_dir / f"{doc}_a4.pdf")
    assert len(reader.pages) in (2, 4)
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.5)


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_document_carries_disclaimer_dates_and_advice(catalog_dir, doc):
    text = body_text(catalog_dir / f"{doc}_{trim(doc)}.pdf")
    assert "It is not medical advice." in text
    assert "Talk to your healthcare professional" in text
    assert "Ask them before you start, stop, or change any medicine." in text
    assert "1 November 2026" in text          # published and last reviewed
    assert "Next review" in text and "1 November 2027" in text
    assert "Version 1.0" in text  # on the page itself, not only in a running footer
    assert "info@example.org" in text


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_metadata_language_and_tags(catalog_dir, doc):
    reader = PdfReader(catalog_dir / f"{doc}_{trim(doc)}.pdf")
    info = reader.metadata
    assert info.title
    assert info.author == "LDN Patient Information Project"
    assert info.subject
    assert "Low Dose Naltrexone" in info["/Keywords"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp and info.title in xmp


def test_leaflet_titles(catalog_dir):
    titles = {doc: PdfReader(catalog_dir / f"{doc}_a4.pdf").metadata.title for doc in LEAFLETS}
    assert titles["what-is-ldn"] == "What is LDN?"
    assert titles["questions"] == "Questions About LDN"


def test_booklet_bookmarks_cover_every_heading(catalog_dir):
    reader = PdfReader(catalog_dir / "booklet_a5.pdf")

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    bookmarks = list(titles(reader.outline))
    for heading in ["Contents", "What LDN is and how it may work", "In short", "Words to know", "References",
                    "Notes"]:
        assert heading in bookmarks
    assert "The source article, in full" not in bookmarks  # the guide alone: the article is its own document
    article = list(titles(PdfReader(catalog_dir / "source-article_a4.pdf").outline))
    for heading in ["The source article, in full", "Understanding Low Dose Naltrexone (LDN)", "Mechanism of Action",
                    "Questions", "Conclusion", "References"]:
        assert heading in article
    assert "Key points" not in bookmarks
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_contents_has_page_numbers(catalog_dir):
    reader = PdfReader(catalog_dir / "booklet_a5.pdf")
    contents = next(text for text in (" ".join(page.extract_text().split()) for page in reader.pages)
                    if text.startswith("Contents"))
    match = re.search(r"Words to know[ .]*?(\d+)", contents)
    assert match, contents
    page = int(match.group(1))
    assert "Words to know" in reader.pages[page - 1].extract_text()


def test_fonts_are_atkinson_hyperlegible_and_embedded(catalog_dir):
    for pdf in catalog_dir.glob("*.pdf"):
        reader = PdfReader(pdf)
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                assert "Atkinson-Hyperlegible" in font["/BaseFont"], (pdf.name, font["/BaseFont"])
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] \
                    if "/DescendantFonts" in font else font["/FontDescriptor"]
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_references_are_numbered_by_first_citation(catalog_dir):
    text = body_text(catalog_dir / "source-article_a4.pdf")
    refs = text[text.rindex("References"):]
    first = refs.index("Younger, J., Noor, N.")    # cited first, in Clinical Studies
    second = refs.index("Younger, J., & Mackey, S.")
    assert first < second
    assert "improved quality of life among participants [1]." in text


def test_glossary_lists_terms_each_document_uses(catalog_dir):
    text = body_text(catalog_dir / "booklet_a5.pdf")
    glossary = text[text.index("Words to know", text.index("In short")):]
    for term in ["endorphins", "opioid receptors", "placebo"]:
        assert f"{term}:" in glossary
    article = body_text(catalog_dir / "source-article_a4.pdf")
    glossary = article[article.index("Words to know"):]
    for term in ["endorphins", "opioid receptor antagonist", "transdermal", "titration", "neuroinflammatory"]:
        assert f"{term}:" in glossary


def test_the_source_articles_introduction_reads_as_sentences(catalog_dir):
    text = pdf_text(catalog_dir / "source-article_a4.pdf")
    assert ("so that you can read the original. Adapted from the article “Low Dose Naltrexone (LDN) for chronic "
            "pain”. The article does not say who wrote it. It does not give a date. It was not written for you") in text
