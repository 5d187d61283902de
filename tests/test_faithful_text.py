"""Text that says what it prints: invisible formatting refused with its place, a translation's
numbers, facts and citations those of the English, and PO files bounded."""

from __future__ import annotations


import pytest

from conftest import leaflet_layout_with, run
from test_translations import _catalog, _save, _translate_all

RLO = "\u202e"


@pytest.mark.parametrize("char, name", [(RLO, "right-to-left override"), ("\u2066", "left-to-right isolate"),
                                        ("\u200b", "zero width space"), ("\ufeff", "zero width no-break space")])
def test_invisible_formatting_in_content_is_refused_with_its_place(mini_dir, char, name):
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    text = beta.read_text()
    beta.write_text(text.replace("Beta text cites", f"Take {char}05 mg. Beta text cites", 1))
    result = run("-C", str(mini_dir), "build", "sheet")
    assert result.exit_code == 2
    line = next(n for n, row in enumerate(beta.read_text().splitlines(), 1) if char in row)
    assert f"sources/sections/beta.yaml:{line}:" in result.output
    assert f"invisible formatting character U+{ord(char):04X} ({name})" in result.output


def test_a_byte_order_mark_at_the_start_of_a_file_is_fine(mini_dir):
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    beta.write_bytes(b"\xef\xbb\xbf" + beta.read_bytes())
    assert run("-C", str(mini_dir), "build", "sheet", "-j", "1").exit_code == 0


def test_right_to_left_marks_are_allowed(mini_dir):
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text().replace("Beta text cites", "Beta\u200f text\u200e cites", 1))
    result = run("-C", str(mini_dir), "check")
    assert "invisible formatting" not in result.output


def _translation_of(catalog, english_part: str):
    return next(m for m in catalog if m.id and m.context and english_part in m.id)


@pytest.mark.parametrize("change, kind", [
    (lambda s: s.replace("[@first2001]", "[@second2002]"), "citations"),
    (lambda s: s.replace("[@first2001]", ""), "citations"),
    (lambda s: s + " 50 mg", "numbers"),
    (lambda s: s + " " + RLO + "x", "invisible formatting character U+202E"),
])
def test_a_translation_that_changes_what_the_english_says_is_refused_at_its_po_line(mini_dir, change, kind):
    path = _translate_all(mini_dir)
    catalog = _catalog(path)
    message = _translation_of(catalog, "cites the first study")
    message.string = change(message.string)
    _save(catalog, path)
    line = next(m.lineno for m in _catalog(path) if m.id == message.id and m.context == message.context)
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "es")
    assert result.exit_code == 2
    assert f"translations/es.po:{line}: error: the translation of \"Beta text cites" in result.output
    assert kind in result.output


def test_a_faithful_translation_builds(mini_dir):
    _translate_all(mini_dir)
    assert run("-C", str(mini_dir), "build", "sheet", "--language", "es", "-j", "1").exit_code == 0


def test_a_huge_msgstr_is_refused_at_once(mini_dir):
    path = _translate_all(mini_dir)
    catalog = _catalog(path)
    message = _translation_of(catalog, "cites the first study")
    message.string = "ES " + "palabra " * 500_000  # 4 MB
    _save(catalog, path)
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "es")
    assert result.exit_code == 2
    assert "characters long, for" in result.output


def test_a_plural_count_out_of_bounds_is_refused(mini_dir):
    path = _translate_all(mini_dir)
    text = path.read_text()
    assert "nplurals=3;" in text
    path.write_text(text.replace("nplurals=3;", "nplurals=200000000;", 1))
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "es")
    assert result.exit_code == 2
    assert "expected a number of plural forms from 1 to 6, found '200000000'" in result.output


def test_an_unknown_charset_is_a_message(mini_dir):
    path = _translate_all(mini_dir)
    text = path.read_text()
    path.write_text(text.replace("charset=utf-8", "charset=no-such-charset", 1))
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "es")
    assert result.exit_code == 2
    assert "translations/es.po" in result.output and "not a readable PO file" in result.output


def test_a_label_field_width_is_refused_in_a_layout(mini_dir):
    leaflet_layout_with(mini_dir, '<h1>{{ _("V %(v)999999999s", v=1) }}</h1>')
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 1
    assert "layouts/leaflet.html:" in result.output and "not part of a %(name)s field" in result.output


def test_a_language_without_its_po_file_is_a_message(mini_dir):
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "pt")
    assert result.exit_code == 2
    assert "no pt translation: the file is missing" in result.output


@pytest.mark.parametrize("translation, refused", [("Dígale a su profesional qué artilugios usa.", False),
                                                  ("Dígale a su profesional lo que toma.", True)])
def test_the_safety_panel_keeps_its_key_words_in_translation(mini_dir, translation, refused):
    publication = mini_dir / "sources" / "publication.yaml"
    publication.write_text(publication.read_text().replace("about every medicine you take.",
                                                           "about every medicine and widget you take."))
    path = _translate_all(mini_dir)
    catalog = _catalog(path)
    for message in catalog:
        if message.context and message.context.startswith("glossary.yaml terms[0]."):
            message.string = {"widget": "artilugio", "widgets": "artilugios"}.get(message.id, message.string)
        if message.context and message.context.startswith("publication.yaml safety.items[0]"):
            message.string = translation
    _save(catalog, path)
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "es", "-j", "1")
    if refused:
        assert result.exit_code == 2
        assert "drops \"widget\" (artilugio / artilugios): the safety panel keeps its key words" in result.output
        assert "translations/es.po:" in result.output
    else:
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("escape, message", [("\\u202e", "U+202E (right-to-left override)"),
                                             ("\\u200b", "U+200B (zero width space)"),
                                             ("\\x07", "control character U+0007"),
                                             ("\\U000E0041", "U+E0041 (tag latin capital letter a)")])
def test_an_escape_in_quotes_is_judged_like_the_text_itself(mini_dir, escape, message):
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text().replace('"Beta is also short."', f'"Take {escape}05 mg."', 1))
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 2
    assert f"sources/sections/beta.yaml:4:5: error: " in result.output and message in result.output


@pytest.mark.parametrize("header", ["nplurals=1_000_000_00;", 'nplurals="100000000";', "nplurals=0;", "nplurals=two;"])
def test_a_plural_count_is_read_as_babel_reads_it(mini_dir, header):
    path = _translate_all(mini_dir)
    text = path.read_text()
    path.write_text(text.replace("nplurals=3;", header, 1))
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "es")
    assert result.exit_code == 2
    assert "Plural-Forms: expected a number of plural forms from 1 to 6" in result.output


def test_a_nul_in_the_output_folder_is_a_message(mini_dir):
    (mini_dir / "ldnpub.yaml").write_text('out: "a\\u0000b"\n')
    result = run("-C", str(mini_dir), "build", "sheet")
    assert result.exit_code == 2
    assert "ldnpub.yaml:1:6: error: control character U+0000" in result.output
