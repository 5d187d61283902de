"""Safe rendering: escaped content, no files outside the project, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import body_text, run, structure_alts
from ldnpub.content import inline


def test_inline_markdown_is_escaped_and_limited():
    html = inline.to_markup("a *b* **c** [d](https://e.org) & <i>", {}, {})
    assert html == 'a <em>b</em> <strong>c</strong> <a href="https://e.org">d</a> &amp; &lt;i&gt;'
    assert "<a" not in inline.to_markup("[x](javascript:alert(1))", {}, {})


def test_citations_and_facts():
    assert inline.citation_keys("a [@x] b [@y; @x]") == ["x", "y", "x"]
    html = inline.to_markup("dose {{d}} [@y; @x].", {"d": "1 to 5 mg"}, {"x": 1, "y": 2})
    assert html.startswith("dose 1\u00a0to\u00a05\u00a0mg<span class=\"citation\"> [")  # kept on one line
    assert html.index('href="#ref-x">1<') < html.index('href="#ref-y">2<')
    assert inline.plain("**Bold:** text [@x].", {}) == "Bold: text."


def add_figure(project: Path, src: str) -> None:
    beta = project / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text() + f'  - type: figure\n    src: "{src}"\n    alt: "A picture"\n')


@pytest.mark.parametrize("src", ["https://example.org/logo.png", "missing.png"])
def test_figures_must_be_files_in_the_sources(mini_dir, src):
    add_figure(mini_dir, src)
    result = run("-C", str(mini_dir), "build", "sheet", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2
    assert (f"sources/sections/beta.yaml:13:10: error: blocks[3].src: image not found: sources/{src}\n"
            "    hint: images are files in the sources folder, named relative to it") in result.output


def test_rendering_cannot_read_outside_the_project(mini_dir):
    depth = len(mini_dir.resolve().parts)
    add_figure(mini_dir, "../" * depth + "etc/hostname")
    result = run("-C", str(mini_dir), "build", "sheet", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2  # found while validating the content, before anything renders
    assert "error: leads outside the project (to /etc/hostname)" in result.output
    assert not (mini_dir / "dist" / "sheet_a4.pdf").exists()


def test_a_figure_inside_the_project_renders_with_its_alt_text(mini_dir):
    image = mini_dir / "sources" / "dot.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                     '<rect width="10" height="10"/></svg>')
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text() + '  - type: figure\n    src: "dot.svg"\n'
                    '    alt: "A black square"\n    caption: "A square."\n')
    result = run("-C", str(mini_dir), "build", "sheet", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 0, result.output
    pdf = mini_dir / "dist" / "sheet_a4.pdf"
    assert "A square." in body_text(pdf)
    assert "A black square" in structure_alts(pdf)


def test_custom_css_adjusts_the_look(tmp_path: Path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "custom.css").write_text(".masthead h1::after { content: ' (custom)'; }")
    result = run("-C", str(tmp_path), "build", "questions", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    assert "Questions About LDN (custom)" in body_text(tmp_path / "dist" / "questions_a4.pdf")


def test_project_files_override_shipped_ones_file_by_file(tmp_path: Path):
    styles = tmp_path / "styles"
    styles.mkdir()
    shipped = (Path(__file__).parents[1] / "styles" / "leaflet.css").read_text()
    (styles / "leaflet.css").write_text(shipped + ".masthead h1::after { content: ' (clinic copy)'; }")
    result = run("-C", str(tmp_path), "build", "questions", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    text = body_text(tmp_path / "dist" / "questions_a4.pdf")
    assert "Questions About LDN (clinic copy)" in text
    assert "How might LDN help with pain?" in text  # shipped sections still used


def test_a_layout_extends_the_shipped_one_and_overrides_one_block(tmp_path: Path):
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "leaflet.html").write_text(
        '{% extends "shipped/leaflet.html" %}\n'
        '{% block masthead %}<header class="masthead"><h1>{{ e.title }}</h1>'
        '<p>Riverside Clinic masthead</p></header>{% endblock %}\n')
    result = run("-C", str(tmp_path), "build", "questions", "-j", "1", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    text = body_text(tmp_path / "dist" / "questions_a4.pdf")
    assert "Riverside Clinic masthead" in text
    assert "About this leaflet" in text and "How might LDN help with pain?" in text  # the rest is shipped
    assert "Version" not in text.split("Riverside Clinic masthead")[0]  # the shipped masthead is gone


def test_a_layout_cannot_reach_python_internals(mini_dir):
    """A shared project's layout runs sandboxed: the classic escape to os.popen is refused."""
    layouts = mini_dir / "layouts"
    layouts.mkdir()
    shipped = (Path(__file__).parents[1] / "layouts" / "leaflet.html").read_text()
    (layouts / "leaflet.html").write_text(shipped.replace(
        "<h1>{{ e.title }}</h1>", '<h1>{{ cycler.__init__.__globals__.os.popen("id").read() }}</h1>'))
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 1
    assert "layouts/leaflet.html:" in result.output and "is unsafe" in result.output
    assert "uid=" not in result.output
    assert not (mini_dir / "dist" / "sheet_a4.pdf").exists()


@pytest.mark.parametrize("link, exit_code", [("styles/custom.css", 1), ("layouts/partials/blocks.html", 1),
                                             ("sources/sections/dosage.yaml", 2)])
def test_a_symlink_out_of_the_project_is_refused(tmp_path, link, exit_code):
    target = tmp_path / "project" / link
    target.parent.mkdir(parents=True)
    target.symlink_to("/etc/passwd")
    result = run("-C", str(tmp_path / "project"), "build", "what-is-ldn", "-j", "1", "--out", str(tmp_path / "dist"))
    assert result.exit_code == exit_code, result.output
    assert "leads outside" in result.output and "/etc/passwd" in result.output
    assert "root:x:0:0" not in result.output
    assert not (tmp_path / "dist" / "what-is-ldn_a4.pdf").exists()


def test_text_that_names_a_file_url_is_never_read(mini_dir):
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text() + '  - "See file:///proc/self/mem and file:///etc/passwd for nothing."\n')
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 0, result.output
    assert "root:x:0:0" not in body_text(mini_dir / "dist" / "sheet_a4.pdf")
