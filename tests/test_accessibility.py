"""Accessibility judged by the reference validator (veraPDF), and structure a screen reader can
follow: one element per paragraph even across a page break, list items of Lbl and LBody only,
/Lang on parts in another language."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfWriter

from conftest import run, structure_alts, structure_elements
from ldnpub.pdf import verapdf

needs_verapdf = pytest.mark.skipif(verapdf.missing() is not None,
                                   reason=f"veraPDF cannot run here: {verapdf.missing()} ({verapdf.SETUP_HINT})")


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    """A branded condition edition in each variant, on Letter, beside the default catalog."""
    work = tmp_path_factory.mktemp("editions")
    out = work / "dist"
    result = run("-C", str(work), "build", "booklet", "what-is-ldn", "condition", "--condition", "fibromyalgia",
                 "--brand", "example-clinic", "--paper", "letter", "--variant", "standard",
                 "--variant", "large-print", "--variant", "high-contrast", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@needs_verapdf
def test_every_reading_order_pdf_passes_pdf_ua_1(catalog_dir, editions):
    pdfs = sorted(catalog_dir.glob("*.pdf")) + sorted(editions.glob("*.pdf"))
    assert len(pdfs) >= 13
    failed = {str(v.path.name): [f"{f.rule} ({f.count}x) {f.description}" for f in v.failures]
              for v in verapdf.validate(pdfs) if not v.compliant}
    assert failed == {}


@needs_verapdf
def test_the_validate_command_names_the_rules_that_fail(tmp_path, catalog_dir):
    untagged = tmp_path / "untagged.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(untagged)
    result = run("validate", str(catalog_dir / "what-is-ldn_a4.pdf"), str(untagged))
    assert result.exit_code == 1
    assert f"{catalog_dir / 'what-is-ldn_a4.pdf'}: PDF/UA-1 compliant" in result.output
    assert f"{untagged}: not PDF/UA-1 compliant" in result.output
    assert "    rule " in result.output


def test_without_java_the_validate_command_says_what_to_install(tmp_path, catalog_dir, monkeypatch):
    monkeypatch.setattr(verapdf, "missing", lambda: "Java 17 (java and javac) is not installed")
    result = run("validate", str(catalog_dir / "what-is-ldn_a4.pdf"))
    assert result.exit_code == 2
    assert "cannot run veraPDF: Java 17 (java and javac) is not installed" in result.output
    assert "libjaxb-java" in result.output


def test_a_paragraph_across_a_page_break_is_one_element(mini_dir):
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    long = " ".join(["This long paragraph runs on and on so that it must cross onto the next page."] * 45)
    beta.write_text(beta.read_text() + f'  - "{long}"\n')
    catalog = mini_dir / "sources" / "catalog.yaml"
    catalog.write_text(catalog.read_text().replace("max_pages: 2", "max_pages: 3"))
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--html", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 0, result.output
    html = (mini_dir / "dist" / "sheet_a4.html").read_text()
    elements = Counter(str(e.get("/S")) for e in structure_elements(mini_dir / "dist" / "sheet_a4.pdf"))
    body = html[html.index("<body"):]
    assert elements["/P"] == body.count("<p>") + body.count("<p ")
    assert elements["/LI"] == body.count("<li>") + body.count("<li ")


def test_list_items_hold_a_label_and_a_body_only(catalog_dir):
    """The diagram (icons beside text) and the write-in lines are laid out as blocks inside
    their list items; PDF/UA allows only Lbl and LBody there (veraPDF 7.2-20)."""
    for pdf in ["what-is-ldn_a4.pdf", "booklet_a5.pdf"]:
        items = [e for e in structure_elements(catalog_dir / pdf) if e.get("/S") == "/LI"]
        assert items
        for item in items:
            kids = item["/K"] if isinstance(item["/K"], list) else [item["/K"]]
            tags = [k.get_object().get("/S") for k in kids if hasattr(k, "get_object")]
            assert set(tags) <= {"/Lbl", "/LBody"} and tags.count("/LBody") == 1, (pdf, tags)


def test_a_part_in_another_language_carries_its_lang(mini_dir):
    (mini_dir / "layouts").mkdir()
    (mini_dir / "layouts" / "leaflet.html").write_text(
        '{% extends "shipped/leaflet.html" %}\n'
        '{% block about %}{{ super() }}<p lang="es">Hable con su profesional de la salud.</p>{% endblock %}\n')
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 0, result.output
    langs = [str(e["/Lang"]) for e in structure_elements(mini_dir / "dist" / "sheet_a4.pdf") if "/Lang" in e]
    assert langs == ["es"]


def test_the_qr_code_says_where_it_leads_and_the_logo_whose_it_is(editions):
    alts = structure_alts(editions / "what-is-ldn_example-clinic_letter.pdf")
    assert "QR code that opens the web page riverside-clinic.example/ldn" in alts
    assert any("Riverside" in alt for alt in alts if "QR" not in alt)  # the logo, in the brand's words


@pytest.fixture(scope="module")
def ua2(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("ua2")
    out = work / "dist"
    result = run("-C", str(work), "build", "booklet", "what-is-ldn", "at-a-glance", "--pdf-standard", "ua-2",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_pdf_ua_2_is_pdf_2_with_its_own_names_and_working_bookmarks(ua2):
    from pypdf import PdfReader

    assert sorted(p.name for p in ua2.glob("*.pdf")) == [
        "at-a-glance_a4_ua-2.pdf", "booklet_a5_ua-2.pdf", "what-is-ldn_a4_ua-2.pdf"]
    reader = PdfReader(ua2 / "booklet_a5_ua-2.pdf")
    assert reader.pdf_header == "%PDF-2.0"
    pages = [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)]
    assert pages == sorted(pages) and pages[-1] > 20  # bookmarks still lead to their pages
    entries = json.loads((ua2 / "manifest.json").read_text())["files"]
    assert {e["pdf_standard"] for e in entries} == {"ua-2"}


@needs_verapdf
def test_pdf_ua_2_passes_verapdf(ua2):
    failed = {v.path.name: [f"{f.rule} {f.description}" for f in v.failures]
              for v in verapdf.validate(sorted(ua2.glob("*.pdf")), "ua2") if not v.compliant}
    assert failed == {}


def test_the_reading_order_of_a_page_as_a_person_checks_it(catalog_dir):
    from ldnpub.commands.preview.reading import reading_order

    pages = reading_order(catalog_dir / "what-is-ldn_a4.pdf")
    first = pages[0].elements
    assert [(e.tag, e.text) for e in first[:2]] == [("P", "LDN Patient Information Project"), ("H1", "What is LDN?")]
    diagram = next(e for e in first if e.tag == "L" and e.text.startswith("You take a low dose of LDN."))
    items = first[first.index(diagram) + 1:first.index(diagram) + 5]
    assert [e.tag for e in items] == ["LI"] * 4 and all(e.depth == diagram.depth + 1 for e in items)
    assert any("Page 1" in text for text in pages[0].skipped)  # the running footer is not read
