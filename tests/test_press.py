"""Press files (PDF/X-4 with Ghostscript) and preflight, read back from the files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject, NameObject, StreamObject

from conftest import run
from ldnpub import press
from ldnpub.preflight import _heaviest, preflight

needs_ghostscript = pytest.mark.skipif(press.missing() is not None,
                                       reason=f"press files cannot be made here: {press.missing()} ({press.SETUP_HINT})")


# --- units --------------------------------------------------------------------------------------

def test_the_heaviest_pixel_is_the_largest_sum_of_four_inks():
    assert _heaviest(bytes([0, 0, 0, 255, 255, 255, 255, 255, 10, 0, 0, 0])) == pytest.approx(400)
    assert _heaviest(bytes([128, 0, 0, 0])) == pytest.approx(50.2, abs=0.1)
    assert _heaviest(b"") == 0


def test_neutral_greys_become_gray_and_near_black_becomes_black():
    page_ops = b"0.102 0.102 0.102 rg 0.5 0.5 0.5 RG 0.2 0.4 0.6 rg 1 1 1 rg"
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    stream = StreamObject()
    stream.set_data(page_ops)
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    reader = PdfReader(io.BytesIO(press.greys_as_gray(PdfReader(io.BytesIO(out.getvalue())))))
    operations = [(op, [float(v) for v in operands])
                  for operands, op in ContentStream(reader.pages[0].get_contents(), reader).operations]
    assert operations == [(b"g", [0.0]), (b"G", [0.5]), (b"rg", [0.2, 0.4, 0.6]), (b"g", [1.0])]


# --- a press build ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pressed(tmp_path_factory) -> Path:
    """The mini project's guide (a booklet) and leaflet, with bleed, crop marks and press files."""
    from conftest import FIXTURES
    import shutil

    project = tmp_path_factory.mktemp("press") / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    result = run("-C", str(project), "build", "--bleed", "--crop-marks", "--press", "-j", "1",
                 "--out", str(project / "dist"))
    assert result.exit_code == 0, result.output
    assert "2 press" in result.output
    return project / "dist"


@needs_ghostscript
def test_press_files_are_listed_in_the_manifest(pressed):
    files = {entry["path"]: entry for entry in json.loads((pressed / "manifest.json").read_text())["files"]}
    press_files = sorted(name for name, entry in files.items() if entry["press"])
    assert press_files == ["guide_a5_bleed-3mm_crop_press.pdf", "sheet_a4_bleed-3mm_crop_press.pdf"]
    assert not files["guide_a5_bleed-3mm_crop.pdf"]["press"]
    assert files["guide_a5_bleed-3mm_crop_press.pdf"]["pages"] == len(PdfReader(pressed / press_files[0]).pages)


@needs_ghostscript
def test_a_press_file_is_pdf_x_4_in_cmyk_with_boxes_and_nothing_interactive(pressed):
    reader = PdfReader(pressed / "guide_a5_bleed-3mm_crop_press.pdf")
    root = reader.trailer["/Root"]
    assert reader.pdf_header == "%PDF-1.6"
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX" and intent["/DestOutputProfile"].get_object()["/N"] == 4
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in root["/Metadata"].get_object().get_data()
    assert reader.metadata["/Trapped"] == "/False" and reader.metadata["/Title"]
    assert "/Outlines" not in root and "/StructTreeRoot" not in root
    reading = PdfReader(pressed / "guide_a5_bleed-3mm_crop.pdf")
    assert len(reader.pages) == len(reading.pages)
    for page, original in zip(reader.pages, reading.pages):
        assert "/Annots" not in page
        assert round(float(page.trimbox.width), 1) == round(float(original.trimbox.width), 1)
        assert float(page.trimbox.left - page.bleedbox.left) == pytest.approx(3 * 72 / 25.4, abs=0.02)


@needs_ghostscript
def test_text_in_a_press_file_is_black_ink_only_where_it_was_near_black(pressed):
    reader = PdfReader(pressed / "sheet_a4_bleed-3mm_crop_press.pdf")
    fills = {}
    for page in reader.pages:
        fill = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"g", b"k", b"rg", b"sc", b"scn"):
                fill = (operator, tuple(round(float(v), 3) for v in operands))
            elif operator in (b"Tj", b"TJ"):
                fills[fill] = fills.get(fill, 0) + 1
    assert not any(op == b"rg" for op, _ in fills)  # no RGB left
    black = fills.get((b"g", (0.0,)), 0)
    assert black > sum(fills.values()) / 2  # the body text (#1a1a1a): 100% K, not four-colour grey


@needs_ghostscript
def test_press_files_pass_preflight_and_reading_order_files_do_not(pressed):
    good = run("preflight", str(pressed / "guide_a5_bleed-3mm_crop_press.pdf"))
    assert good.exit_code == 0, good.output
    assert "ready for press; heaviest ink" in good.output
    bad = run("preflight", str(pressed / "guide_a5_bleed-3mm_crop.pdf"))
    assert bad.exit_code == 1
    assert "no PDF/X output intent" in bad.output and "page 1: RGB colour (fill)" in bad.output


@needs_ghostscript
def test_an_unchanged_press_build_is_skipped_and_gives_the_same_bytes(pressed, tmp_path, session_cache):
    project = pressed.parent
    again = run("-C", str(project), "build", "--bleed", "--crop-marks", "--press", "-j", "1",
                "--out", str(pressed))
    assert "4 file(s) unchanged" in again.output
    elsewhere = run("-C", str(project), "build", "sheet", "--bleed", "--crop-marks", "--press", "-j", "1",
                    "--out", str(tmp_path / "other"))
    assert elsewhere.exit_code == 0, elsewhere.output
    name = "sheet_a4_bleed-3mm_crop_press.pdf"
    assert (tmp_path / "other" / name).read_bytes() == (pressed / name).read_bytes()


def test_press_without_ghostscript_is_a_clear_error(mini_dir, monkeypatch):
    monkeypatch.setattr(press, "GHOSTSCRIPT", "no-such-ghostscript")
    result = run("-C", str(mini_dir), "build", "--press", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2
    assert "--press: Ghostscript (gs) is not installed" in result.output
    assert "apt-get install ghostscript" in result.output
    assert not (mini_dir / "dist").exists()


# --- preflight on files made bad on purpose --------------------------------------------------------

def _changed(source: Path, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(source))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_content(writer: PdfWriter, content: bytes, resources: dict | None = None) -> None:
    page = writer.pages[0]
    stream = StreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    if resources:
        page[NameObject("/Resources")][NameObject("/Font")] = DictionaryObject(resources)


def _findings(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    return [str(f) for f in preflight(path).errors]


@needs_ghostscript
def test_preflight_finds_a_missing_trim_box(pressed, tmp_path):
    def drop(writer):
        del writer.pages[1][NameObject("/TrimBox")]
    errors = _findings(_changed(pressed / "guide_a5_bleed-3mm_crop_press.pdf", drop), tmp_path)
    assert errors == ["error: page 2: no TrimBox (where the page is cut)"]


@needs_ghostscript
def test_preflight_finds_rgb_and_400_percent_ink(pressed, tmp_path):
    source = pressed / "sheet_a4_bleed-3mm_crop_press.pdf"
    rgb = _findings(_changed(source, lambda w: _add_content(w, b"1 0 0 rg 50 50 100 100 re f")), tmp_path)
    assert rgb == ["error: page 1: RGB colour (fill): a press file has CMYK or grey only"]
    ink = _findings(_changed(source, lambda w: _add_content(w, b"1 1 1 1 k 50 50 100 100 re f")), tmp_path)
    assert ink == ["error: page 1: total ink 400% (at most 300%)"]


@needs_ghostscript
def test_preflight_finds_a_font_that_is_not_embedded(pressed, tmp_path):
    helvetica = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                  NameObject("/BaseFont"): NameObject("/Helvetica"),
                                  NameObject("/FontDescriptor"): DictionaryObject()})
    content = b"BT /Fx 12 Tf 72 72 Td (Hello) Tj ET"
    errors = _findings(_changed(pressed / "sheet_a4_bleed-3mm_crop_press.pdf",
                                lambda w: _add_content(w, content, {NameObject("/Fx"): helvetica})), tmp_path)
    assert errors == ["error: page 1: font Helvetica is not embedded"]


def test_preflight_warns_of_hairlines_and_tiny_text(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    helvetica = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type3")})
    _add_content(writer, b"0.1 w 0 G 10 10 m 100 10 l S BT /F3 4 Tf 1 0 0 1 20 20 Tm (tiny) Tj ET",
                 {NameObject("/F3"): helvetica})
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "thin.pdf"
    path.write_bytes(out.getvalue())
    warnings = [str(f) for f in preflight(path).findings if f.severity == "warning" and f.page]
    assert warnings == ["warning: page 1: a line thinner than 0.25 pt (0.10 pt)",
                        "warning: page 1: text smaller than 6 pt (4.0 pt)"]


def _rgb_names(reader: PdfReader) -> list[str]:
    """Where /DeviceRGB or /CalRGB stands in any object of the file (dictionaries and arrays;
    content streams are read by preflight)."""
    found = []

    def walk(value, where, seen):
        if isinstance(value, IndirectObject):
            if value.idnum in seen:
                return
            seen.add(value.idnum)
            value = value.get_object()
        if isinstance(value, NameObject) and value in ("/DeviceRGB", "/CalRGB"):
            found.append(where)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key != "/Parent":
                    walk(item, f"{where}{key}", seen)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]", seen)

    walk(reader.trailer["/Root"], "Root", set())
    return found


@needs_ghostscript
@pytest.mark.parametrize("name", ["guide_a5_bleed-3mm_crop_press.pdf", "sheet_a4_bleed-3mm_crop_press.pdf"])
def test_a_press_file_has_no_rgb_anywhere_not_even_in_transparency_groups(pressed, name):
    assert _rgb_names(PdfReader(pressed / name)) == []


@needs_ghostscript
def test_preflight_finds_an_rgb_transparency_group(pressed, tmp_path):
    writer = PdfWriter(clone_from=PdfReader(pressed / "sheet_a4_bleed-3mm_crop_press.pdf"))
    writer.pages[0][NameObject("/Group")] = DictionaryObject({NameObject("/S"): NameObject("/Transparency"),
                                                              NameObject("/CS"): NameObject("/DeviceRGB")})
    bad = tmp_path / "bad.pdf"
    writer.write(bad)
    result = run("preflight", str(bad))
    assert result.exit_code == 1
    assert "page 1: an RGB transparency group" in result.output
