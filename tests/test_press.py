"""Press files (PDF/X-4 with Ghostscript) and preflight, read back from the files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject, NameObject, StreamObject

from conftest import run
from ldnpub.prepress import press
from ldnpub.prepress import conditions
from ldnpub.prepress.preflight import _heaviest, preflight

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
    assert "no PDF/X output intent" in bad.output and "page 1: RGB colour (fill" in bad.output


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




# --- output conditions --------------------------------------------------------------------------

def _intent(path: Path) -> dict:
    intent = PdfReader(path).trailer["/Root"]["/OutputIntents"][0].get_object()
    return {"id": str(intent["/OutputConditionIdentifier"]), "registry": str(intent["/RegistryName"]),
            "profile": intent["/DestOutputProfile"].get_object().get_data()}


def _fills(path: Path) -> set[tuple[float, ...]]:
    """The CMYK fills set on the pages (k), rounded."""
    reader = PdfReader(path)
    return {tuple(round(float(v), 2) for v in operands) for page in reader.pages
            for operands, operator in ContentStream(page.get_contents(), reader).operations if operator == b"k"}


@needs_ghostscript
def test_press_files_are_made_for_the_papers_condition_and_say_so(pressed):
    intent = _intent(pressed / "sheet_a4_bleed-3mm_crop_press.pdf")
    assert intent["id"] == "FOGRA39" and intent["registry"] == "http://www.color.org"
    assert intent["profile"] == (conditions.PROFILES_DIR / "fogra39.icc").read_bytes()
    assert preflight(pressed / "sheet_a4_bleed-3mm_crop_press.pdf").max_ink == 330


@needs_ghostscript
def test_the_shops_condition_separates_the_colours_for_its_press(pressed, tmp_path):
    project = pressed.parent
    result = run("-C", str(project), "build", "sheet", "--bleed", "--crop-marks", "--press", "-j", "1",
                 "--output-condition", "swop", "--out", str(tmp_path / "swop"))
    assert result.exit_code == 0, result.output
    swop = tmp_path / "swop" / "sheet_a4_bleed-3mm_crop_press.pdf"
    assert _intent(swop)["id"] == "CGATS TR 003"
    fogra = _fills(pressed / "sheet_a4_bleed-3mm_crop_press.pdf")
    assert fogra and _fills(swop) and fogra != _fills(swop)  # the brand colour, separated per profile


@needs_ghostscript
def test_a_shops_own_profile_is_embedded_as_a_custom_condition(mini_dir, tmp_path):
    shop = tmp_path / "our-press.icc"
    shop.write_bytes(Path("/usr/share/color/icc/ghostscript/default_cmyk.icc").read_bytes())
    result = run("-C", str(mini_dir), "build", "sheet", "--press", "--max-ink", "320", "-j", "1",
                 "--output-condition", str(shop), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    intent = _intent(tmp_path / "out" / "sheet_a4_press.pdf")
    assert intent["id"] == "Custom" and intent["profile"] == shop.read_bytes()


@needs_ghostscript
@pytest.mark.parametrize("asked, message", [
    ("fogra51", "its ICC profile is not on this machine"),
    ("/usr/share/color/icc/ghostscript/srgb.icc", "not a CMYK printer profile (it is a display profile for RGB)"),
    ("fogra99", "unknown output condition 'fogra99'"),
])
def test_a_condition_that_cannot_be_used_is_a_clear_error(mini_dir, tmp_path, asked, message):
    result = run("-C", str(mini_dir), "build", "sheet", "--press", "--output-condition", asked,
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_condition_whose_profile_the_user_downloaded_is_found_in_the_projects_profiles(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "PSOcoated_v3.icc").write_bytes((conditions.PROFILES_DIR / "fogra39.icc").read_bytes())
    condition = conditions.resolve("fogra51", tmp_path)
    assert (condition.identifier, condition.max_ink) == ("FOGRA51", 300)
    assert conditions.resolve("fogra51", tmp_path, max_ink=280).max_ink == 280


# --- imposed press files, fold marks, every kind of document -------------------------------------

@pytest.fixture(scope="module")
def catalog_press(tmp_path_factory) -> Path:
    """Press files of the shipped catalog's three layouts in every variant, and on Letter in
    Spanish with a brand whose logo is a PNG image; the booklet imposed."""
    empty = tmp_path_factory.mktemp("empty-project")  # the shipped content only
    out = tmp_path_factory.mktemp("catalog-press")
    common = ["--bleed", "--crop-marks", "--press", "--impose", "--package", "-j", "2"]
    first = run("-C", str(empty), "build", "booklet", "what-is-ldn", "--variant", "standard",
                "--variant", "large-print", "--variant", "high-contrast", *common, "--out", str(out))
    assert first.exit_code == 0, first.output
    trifold = run("-C", str(empty), "build", "at-a-glance", "--variant", "standard", "--variant", "high-contrast",
                  *common, "--out", str(out))  # not made in large print (yet)
    assert trifold.exit_code == 0, trifold.output
    second = run("-C", str(empty), "build", "at-a-glance", "booklet", "--language", "es", "--paper", "letter",
                 "--brand", "example-advocacy", *common, "--out", str(out))
    assert second.exit_code == 0, second.output
    return out


@needs_ghostscript
def test_every_press_and_imposed_press_file_is_pdf_x_with_no_rgb_anywhere(catalog_press):
    made = sorted(catalog_press.glob("*_press.pdf")) + sorted(catalog_press.glob("*_imposed.pdf"))
    assert len(made) >= 10 and any("imposed" in p.name for p in made) and any("_es_" in p.name for p in made)
    for path in made:
        reader = PdfReader(path)
        assert _rgb_names(reader) == [], path.name
        report = preflight(path)
        assert report.errors == [], (path.name, [str(f) for f in report.errors])
        assert "/ID" in reader.trailer and reader.trailer["/Root"]["/OutputIntents"]


@needs_ghostscript
def test_the_imposed_booklet_is_made_from_its_press_file(catalog_press):
    imposed = PdfReader(catalog_press / "booklet_a5_bleed-3mm_crop_imposed.pdf")
    assert _intent(catalog_press / "booklet_a5_bleed-3mm_crop_imposed.pdf")["id"] == "FOGRA39"
    assert _intent(catalog_press / "booklet_example-advocacy_es_half-letter_bleed-3mm_crop_imposed.pdf")["id"] \
        == "CGATS TR 003"
    for side in imposed.pages:
        assert "/TrimBox" in side and "/BleedBox" in side
    assert b"GTS_PDFXVersion" in imposed.trailer["/Root"]["/Metadata"].get_object().get_data()


def _fold_marks(path: Path) -> list[list[float]]:
    """Each page's dashed vertical marks beyond the trim (fold marks), as mm from the trim's left
    edge: lines followed through q, Q and cm into the page's own space."""
    from ldnpub.prepress.preflight import IDENTITY, _multiply

    reader = PdfReader(path)
    found = []
    for page in reader.pages:
        left, bottom, top = float(page.trimbox.left), float(page.trimbox.bottom), float(page.trimbox.top)
        ctm, stack, dashed, xs, start = IDENTITY, [], False, set(), None

        def placed(x, y):
            return ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]

        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                stack.append((ctm, dashed))
            elif operator == b"Q" and stack:
                ctm, dashed = stack.pop()
            elif operator == b"cm":
                ctm = _multiply(tuple(float(v) for v in operands), ctm)
            elif operator == b"d":
                dashed = bool(operands[0])
            elif operator == b"m":
                start = placed(*(float(v) for v in operands))
            elif operator == b"l" and dashed and start:
                end = placed(*(float(v) for v in operands))
                if abs(end[0] - start[0]) < 0.01 and not bottom <= start[1] <= top:
                    xs.add(round((start[0] - left) * 25.4 / 72, 1))
        found.append(sorted(xs))
    return found


@needs_ghostscript
def test_the_trifold_has_fold_marks_at_each_folds_true_position(catalog_press):
    assert _fold_marks(catalog_press / "at-a-glance_a4_bleed-3mm_crop.pdf") == [[97.0, 197.0], [100.0, 200.0]]
    assert _fold_marks(catalog_press / "at-a-glance_example-advocacy_es_letter_bleed-3mm_crop.pdf") == \
        [[91.6, 185.5], [93.9, 187.8]]
    assert _fold_marks(catalog_press / "at-a-glance_a4_bleed-3mm_crop_press.pdf") == [[97.0, 197.0], [100.0, 200.0]]
    assert _fold_marks(catalog_press / "what-is-ldn_a4_bleed-3mm_crop.pdf")[0] == []  # a leaflet does not fold


@needs_ghostscript
def test_a_job_package_holds_the_press_files_a_ticket_and_the_preflight_report(catalog_press):
    import zipfile

    path = catalog_press / "booklet_a5_bleed-3mm_crop_job.zip"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        ticket = json.loads(archive.read("job-ticket.json"))
        text = archive.read("job-ticket.txt").decode()
        reports = json.loads(archive.read("preflight.json"))
        assert archive.read("booklet_a5_bleed-3mm_crop_press.pdf") == \
            (catalog_press / "booklet_a5_bleed-3mm_crop_press.pdf").read_bytes()
    assert names == sorted(["booklet_a5_bleed-3mm_crop_imposed.pdf", "booklet_a5_bleed-3mm_crop_press.pdf",
                            "job-ticket.json", "job-ticket.txt", "preflight.json", "preflight.txt"])
    pages = len(PdfReader(catalog_press / "booklet_a5_bleed-3mm_crop_press.pdf").pages)
    assert ticket["trim_mm"] == [148.0, 210.0] and ticket["bleed_mm"] == 3.0 and ticket["pages"] == pages
    assert ticket["binding"].startswith(f"saddle stitch: {pages} pages on {pages // 4} folded sheets")
    assert ticket["output_condition"]["identifier"] == "FOGRA39" and ticket["output_condition"]["max_ink"] == 330
    assert ticket["imposed"]["sheet_mm"] == [450, 320] and ticket["preflight"] == "ready for press"
    assert ticket["contact"]["email"] and "Trim size:         148 x 210 mm" in text
    assert [r["ready_for_press"] for r in reports] == [True, True]
    trifold = zipfile.ZipFile(catalog_press / "at-a-glance_example-advocacy_es_letter_bleed-3mm_crop_job.zip")
    ticket = json.loads(trifold.read("job-ticket.json"))
    assert ticket["language"] == "es" and ticket["output_condition"]["identifier"] == "CGATS TR 003"
    assert ticket["binding"].startswith("roll fold") and "imposed" not in ticket
    assert ticket["contact"]["name"] != "LDN Patient Information Project"  # the brand's contacts


def test_package_without_press_is_a_usage_error(mini_dir):
    result = run("-C", str(mini_dir), "build", "--package", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2 and "--package packs the press files" in result.output
