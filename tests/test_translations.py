"""Translations: PO files extracted and merged, editions built in another language, missing
strings refused with their places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from conftest import pdf_text, run
from ldnpub.content import model
from ldnpub.content.translation import translatable

SHIPPED_PO = Path(__file__).parent.parent / "translations" / "es.po"


def _catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="es")


def _save(catalog, path: Path) -> None:
    with path.open("wb") as f:
        write_po(f, catalog, width=100, include_previous=True)


def _translate_all(project: Path, skip: str | None = None) -> Path:
    """Fill translations/es.po: labels from the shipped Spanish, content as "ES " + the English."""
    assert run("-C", str(project), "translations", "extract", "es").exit_code == 0
    path = project / "translations" / "es.po"
    labels = {m.id: m.string for m in _catalog(SHIPPED_PO) if m.id and m.context is None}
    catalog = _catalog(path)
    for number, message in enumerate(catalog):
        if message.id and message.id != skip:
            message.string = labels[message.id] if message.context is None else "ES " + message.id
    _save(catalog, path)
    return path


# --- pure units -----------------------------------------------------------------------------

def test_translatable_strings_are_the_prose_fields_and_not_the_source_article():
    data = {"id": "s", "title": "Title", "key_points": ["Point"],
            "blocks": ["A bare paragraph.", {"type": "callout", "kind": "tip", "title": "Tip", "text": "Do it.",
                                             "icon": "doctor"}],
            "article": {"title": "Article", "blocks": ["Word for word."]}}
    found = dict(translatable(model.Section, data))
    assert found == {("title",): "Title", ("key_points", 0): "Point", ("blocks", 0): "A bare paragraph.",
                     ("blocks", 1, "title"): "Tip", ("blocks", 1, "text"): "Do it."}


def test_the_publication_s_safety_panel_and_facts_are_translatable_but_not_its_version():
    data = {"title": "T", "version": "1.0", "facts": {"dose": "1 mg"},
            "safety": {"title": "Safe", "items": ["One"]}, "organization": {"name": "Org", "email": "a@b.c"}}
    found = dict(translatable(model.Publication, data))
    assert found == {("title",): "T", ("facts", "dose"): "1 mg", ("safety", "title"): "Safe",
                     ("safety", "items", 0): "One", ("organization", "name"): "Org"}


# --- the PO file ----------------------------------------------------------------------------

def test_extract_writes_each_string_with_its_place_and_context(mini_dir):
    result = run("-C", str(mini_dir), "translations", "extract", "es")
    assert result.exit_code == 0, result.output
    catalog = _catalog(mini_dir / "translations" / "es.po")
    title = catalog.get("Alpha Section", context="sections/alpha.yaml title")
    assert title is not None and title.locations == [("sources/sections/alpha.yaml", 2)]
    label = catalog.get("Key points")
    assert label is not None and label.locations[0][0].endswith("layouts/partials/blocks.html")
    assert catalog.locale_identifier == "es"
    # Run again: nothing to do, nothing rewritten.
    assert "up to date" in run("-C", str(mini_dir), "translations", "update").output


def test_update_marks_a_string_whose_english_changed_fuzzy_and_keeps_the_old_english(mini_dir):
    path = _translate_all(mini_dir)
    section = mini_dir / "sources" / "sections" / "alpha.yaml"
    section.write_text(section.read_text().replace('title: "Alpha Section"', 'title: "Alpha Section, Revised"'))
    assert run("-C", str(mini_dir), "translations", "update").exit_code == 0
    message = _catalog(path).get("Alpha Section, Revised", context="sections/alpha.yaml title")
    assert message.fuzzy and message.string == "ES Alpha Section"
    assert '#| msgid "Alpha Section"\nmsgctxt "sections/alpha.yaml title"' in path.read_text()  # the old English

    result = run("-C", str(mini_dir), "build", "sheet", "guide", "--language", "es")
    assert result.exit_code == 2
    assert "translations/es.po:" in result.output and "fuzzy" in result.output


# --- building in Spanish --------------------------------------------------------------------

def test_a_spanish_edition_has_spanish_labels_dates_language_and_file_name(mini_dir):
    _translate_all(mini_dir)
    out = mini_dir / "dist"
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "en", "--language", "es", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "sheet_a4.pdf").is_file() and (out / "sheet_es_a4.pdf").is_file()
    text = pdf_text(out / "sheet_es_a4.pdf")
    assert "ES Beta Section" in text and "Beta Section" not in text.replace("ES Beta Section", "")
    assert "Acerca de esta hoja informativa" in text and "About this leaflet" not in text
    assert "1 de febrero de 2026" in text and "Página 1" in text
    assert "Traducción aún no revisada por un traductor médico calificado." in text
    from pypdf import PdfReader
    assert PdfReader(out / "sheet_es_a4.pdf").trailer["/Root"]["/Lang"] == "es"
    entries = json.loads((out / "manifest.json").read_text())["files"]
    languages = {e["path"]: e["language"] for e in entries}
    assert languages == {"sheet_a4.pdf": None, "sheet_es_a4.pdf": "es"}


def test_a_missing_string_stops_the_build_with_its_place(mini_dir):
    _translate_all(mini_dir, skip="Alpha Section")
    result = run("-C", str(mini_dir), "build", "guide", "--language", "es")
    assert result.exit_code == 2
    assert "sources/sections/alpha.yaml:2:8: error: title: no es translation of \"Alpha Section\"" in result.output
    assert not (mini_dir / "dist" / "guide_es_a5.pdf").exists()


def test_allow_untranslated_prints_the_english_marked_as_english_with_a_notice(mini_dir):
    _translate_all(mini_dir, skip="Alpha Section")
    out = mini_dir / "dist"
    result = run("-C", str(mini_dir), "build", "guide", "--language", "es", "--allow-untranslated",
                 "--html", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = (out / "guide_es_a5.html").read_text()
    assert '<h1><span lang="en">Alpha Section</span></h1>' in html
    assert "Traducción aún incompleta:" in pdf_text(out / "guide_es_a5.pdf")


def test_a_label_translation_may_not_change_its_tags(mini_dir):
    path = _translate_all(mini_dir)
    catalog = _catalog(path)
    label = next(m for m in catalog if m.id and m.context is None and "<a href" in m.id)
    label.string = "Palabras <b>difíciles</b>"
    _save(catalog, path)
    result = run("-C", str(mini_dir), "build", "guide", "--language", "es")
    assert result.exit_code == 2 and "must keep the English one's tags" in result.output


def test_a_recorded_translation_review_is_printed_instead_of_the_warning(mini_dir):
    _translate_all(mini_dir)
    publication = mini_dir / "sources" / "publication.yaml"
    publication.write_text(publication.read_text() + 'translation_reviews:\n  es: {reviewers: ["M. García"], date: 2026-03-01}\n')
    _translate_all(mini_dir)  # the new publication strings
    out = mini_dir / "dist"
    assert run("-C", str(mini_dir), "build", "sheet", "--language", "es", "--out", str(out)).exit_code == 0
    text = pdf_text(out / "sheet_es_a4.pdf")
    assert "M. García" in text and "1 de marzo de 2026" in text and "aún no revisada" not in text


@pytest.mark.parametrize("language", ["xx_bad", "EN"])
def test_extract_refuses_what_is_not_a_language_code(mini_dir, language):
    result = run("-C", str(mini_dir), "translations", "extract", language)
    assert result.exit_code == 2 and "not a language code" in result.output


# --- glyphs and right-to-left -----------------------------------------------------------------

def _arabic(project: Path) -> None:
    """The mini project in Arabic: Arabic words, the labels' tags and fields kept, the title with
    a Latin word to find on the page."""
    import re

    assert run("-C", str(project), "translations", "extract", "ar").exit_code == 0
    path = project / "translations" / "ar.po"
    catalog = _catalog(path)
    for number, message in enumerate(catalog):
        if not message.id:
            continue
        # what a translation keeps: tags, fields, numbers, {{facts}} and [@citations]
        tokens = re.findall(r"<[^<>]*>|%\(\w+\)s|\d+|\{\{\s*\w+\s*\}\}|\[@[^\]]*\]", message.id)
        if message.context == "catalog.yaml documents[1].title":
            message.string = "ورقة صغيرة ABC"
        else:
            distinct = str(number).translate(str.maketrans("0123456789", "ابتثجحخدذر"))  # letters, not digits
            message.string = " ".join([f"نص عربي قصير {distinct}", *tokens]).replace("><", "> كلمة <")
    _save(catalog, path)


def test_a_character_no_font_has_fails_the_build_with_its_place(mini_dir):
    _arabic(mini_dir)
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "ar")
    assert result.exit_code == 1
    assert "translations/ar.po:" in result.output and "U+0646 ARABIC LETTER NOON" in result.output
    assert "fallback_fonts" in result.output and not (mini_dir / "dist" / "sheet_ar_a4.pdf").exists()


def test_an_emoji_in_the_english_content_fails_with_its_file_and_line(mini_dir):
    section = mini_dir / "sources" / "sections" / "beta.yaml"
    section.write_text(section.read_text().replace('title: "Beta Section"', 'title: "Beta Section 😀"'))
    result = run("-C", str(mini_dir), "build", "sheet")
    assert result.exit_code == 1 and "sources/sections/beta.yaml:2:" in result.output
    assert "U+1F600 GRINNING FACE" in result.output


def test_a_fallback_font_that_is_not_installed_is_named_with_its_package(mini_dir):
    publication = mini_dir / "sources" / "publication.yaml"
    publication.write_text(publication.read_text() + 'fallback_fonts:\n  klingon: "No Such Font"\n')
    result = run("-C", str(mini_dir), "build", "sheet")
    assert result.exit_code == 2 and "sources/publication.yaml:" in result.output
    assert "pip install fontpkg-no-such-font" in result.output


def test_an_arabic_edition_runs_right_to_left_in_its_fallback_font(mini_dir):
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    _arabic(mini_dir)
    publication = mini_dir / "sources" / "publication.yaml"
    publication.write_text(publication.read_text() + 'fallback_fonts:\n  arabic: "Noto Sans Arabic"\n')
    out = mini_dir / "dist"
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "ar", "--html", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert '<html lang="ar" dir="rtl">' in (out / "sheet_ar_a4.html").read_text()
    reader = PdfReader(out / "sheet_ar_a4.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    fonts = {str(f["/BaseFont"]).split("+")[-1] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert "Noto-Sans-Arabic" in fonts
    # Right-to-left and aligned to the start, the right: the short title stands in the page's right half.
    page = pdfium.PdfDocument(out / "sheet_ar_a4.pdf")[0]
    text = page.get_textpage()
    found = text.search("ABC")
    index, _count = found.get_next()
    left, _bottom, _right, _top = text.get_charbox(index)
    assert left > page.get_width() / 2


# --- check, per language ----------------------------------------------------------------------

def test_the_spanish_scale_judges_higher_as_easier():
    from ldnpub.checks.readability import measure, scale

    spanish = scale("fernandez-huerta", 70, 60)
    assert spanish.judge(75) is None
    assert spanish.judge(65) == ("below the target of 70", "warning")
    assert spanish.judge(55) == ("the least allowed is 60", "error")
    simple = measure("La LDN es un medicamento con receta. Tómela como le indique.", spanish)
    assert simple.score > 80 and simple.reading_ease == simple.score


def test_check_scores_a_translation_on_its_own_formula_with_its_coverage(mini_dir):
    publication = mini_dir / "sources" / "publication.yaml"
    publication.write_text(publication.read_text() + "readability:\n  languages:\n"
                           "    es: {formula: szigriszt-pazos, target: 65, minimum: 55}\n")
    _translate_all(mini_dir, skip="Alpha Section")
    result = run("-C", str(mini_dir), "check", "--language", "es", "--json")
    data = json.loads(result.output)
    assert data["language"] == "es" and data["thresholds"]["formula"] == "Szigriszt-Pazos"
    coverage = {c["document"]: c for c in data["translation"]}
    assert coverage["guide"]["missing"] == 1 and coverage["sheet"]["missing"] == 0  # the sheet has no alpha
    assert coverage["sheet"]["translated"] == coverage["sheet"]["strings"]
    messages = [p["message"] for p in data["problems"]]
    assert any("the es edition of 'guide' lacks 1 translation(s)" in m for m in messages)
    assert any("has not been reviewed by a qualified medical translator" in m for m in messages)
    assert result.exit_code == 1  # a document whose build would stop


# --- the shipped Spanish edition --------------------------------------------------------------

def test_the_shipped_publication_builds_in_spanish_from_an_empty_folder(tmp_path):
    out = tmp_path / "dist"
    result = run("-C", str(tmp_path), "build", "what-is-ldn", "at-a-glance", "--language", "es", "--out", str(out))
    assert result.exit_code == 0, result.output
    leaflet = pdf_text(out / "what-is-ldn_es_a4.pdf")
    assert "Primero, la seguridad" in leaflet and "Safety first" not in leaflet
    assert "Hable con su profesional de la salud" in leaflet and "1 de noviembre de 2026" in leaflet
    assert "Traducción aún no revisada por un traductor médico calificado." in leaflet
    assert "Página 1" in leaflet
    assert "Traducción aún no revisada" in pdf_text(out / "at-a-glance_es_a4.pdf")


def test_the_shipped_spanish_passes_check_but_for_the_missing_review(tmp_path):
    result = run("-C", str(tmp_path), "check", "--language", "es", "--today", "2026-11-25", "--json")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["errors"] == 0
    assert all(c["translated"] == c["strings"] for c in data["translation"])
    assert any("has not been reviewed by a qualified medical translator" in p["message"] for p in data["problems"])
    assert data["thresholds"] == {"formula": "Fernández Huerta", "target": 70, "limit": 60}


def test_the_spanish_booklet_prints_no_english_label(tmp_path):
    import re

    from ldnpub.render.html import render
    from ldnpub.edition.tailor import tailor
    from ldnpub.base.targets import BuildTarget
    from ldnpub.content.load import load_project

    project = load_project(tmp_path, "es")
    html = render(project, tailor(project, BuildTarget("booklet", "a4", layout="booklet", language="es"))).html
    assert 'lang="en"' not in html[:html.index('id="references"')]
    spanish = re.sub(r'<span lang="en">.*?</span>', "", html)
    for label in ("Key points", "Words to know", "Contents", "Talk to your healthcare professional",
                  "About this booklet", "Not verified", "Version", "Published", "Next review", "Notes"):
        assert label not in spanish, label
    assert "El artículo en el que se basa este folleto se imprime aparte" in html
    article = render(project, tailor(project, BuildTarget("source-article", "a4", layout="article",
                                                          language="es"))).html
    assert "No verificado:" in article  # the unverified reference, said in Spanish
    assert article.count('lang="en"') > 10  # the article itself stays as it was written
    assert "Acerca de este documento" in article and "El artículo no dice quién lo escribió." in article


def test_a_label_with_a_stray_percent_is_refused_with_its_po_line(mini_dir):
    path = _translate_all(mini_dir)
    catalog = _catalog(path)
    label = catalog.get("Version %(version)s.")
    label.string = "Versión %(version)s al cien %"
    _save(catalog, path)
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "es")
    assert result.exit_code == 2 and "translations/es.po:" in result.output
    assert "has a % that is not part of a %(name)s field" in result.output and "Traceback" not in result.output


def test_extract_in_a_project_without_its_own_po_starts_from_the_shipped_translation(tmp_path):
    result = run("-C", str(tmp_path), "translations", "extract", "es")
    assert result.exit_code == 0 and "wrote" in result.output
    messages = [m for m in _catalog(tmp_path / "translations" / "es.po") if m.id]
    assert len(messages) > 300 and all(m.string and not m.fuzzy for m in messages)


def test_a_missing_string_s_hint_names_the_command_that_adds_it(mini_dir):
    _translate_all(mini_dir, skip="Alpha Section")
    result = run("-C", str(mini_dir), "build", "guide", "--language", "es")
    assert "`ldnpub translations extract es` adds new strings" in result.output


def test_check_places_a_problem_of_translated_text_at_its_po_line(mini_dir):
    import re

    publication = mini_dir / "sources" / "publication.yaml"
    publication.write_text(publication.read_text() + "readability:\n  languages:\n"
                           "    es: {formula: fernandez-huerta, target: 200, minimum: 150}\n")
    path = _translate_all(mini_dir)
    result = run("-C", str(mini_dir), "check", "--language", "es")
    found = re.search(r"translations/es.po:(\d+): error: sources/sections/alpha.yaml key_points: the key points "
                      r"read at [\d.]+ on the Fernández Huerta scale; the least allowed is 150", result.output)
    assert found, result.output
    line = path.read_text().splitlines()[int(found.group(1)) - 1]
    assert line == 'msgid "Alpha is short. The dose is {{dose_range}}."'
