"""Print production and accessible output: paper, bleed, crop marks, imposition, variants,
the tri-fold, tags and reading order, checked from the PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from conftest import body_text, contrast, run, structure_elements, text_colours, text_sizes, trim
from ldnpub.prepress.impose import saddle_stitch_order

MM = 72 / 25.4
A5 = (419.53, 595.28)


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> Path:
    """Every shipped document in each variant, on A4, with the example clinic's brand."""
    out = tmp_path_factory.mktemp("variants")
    result = run("-C", str(out), "build", "--variant", "standard", "--variant", "large-print",
                 "--variant", "high-contrast", "--brand", "example-clinic", "--out", str(out / "dist"))
    assert result.exit_code == 0, result.output
    return out / "dist"


def box(page, name: str) -> tuple[float, ...]:
    return tuple(round(float(v), 1) for v in page[name])


def test_without_bleed_the_media_is_the_trim(mini_build):
    page = PdfReader(mini_build / "guide_a5.pdf").pages[0]
    assert box(page, "/MediaBox") == box(page, "/TrimBox") == (0, 0, 419.5, 595.3)


def test_bleed_and_crop_marks_for_the_print_shop(mini_dir):
    out = mini_dir / "print"
    result = run("-C", str(mini_dir), "build", "guide", "--bleed", "--crop-marks", "--out", str(out))
    assert result.exit_code == 0, result.output
    pdf = out / "guide_a5_bleed-3mm_crop.pdf"
    reader = PdfReader(pdf)
    for page in reader.pages:
        assert box(page, "/TrimBox") == (0, 0, 419.5, 595.3)          # the A5 page itself
        assert box(page, "/BleedBox") == (-8.5, -8.5, 428.0, 603.8)    # plus 3 mm each side
        assert box(page, "/MediaBox") == (-34.0, -34.0, 453.5, 629.3)  # plus 1 mm, 6 mm marks, 2 mm
    entry = json.loads((out / "manifest.json").read_text())["files"][0]
    assert (entry["bleed"], entry["crop_marks"]) == ("3mm", True)


def darkness(image, x_pt: float, y_pt: float, media=(-34.0, 629.3), scale=4) -> int:
    """How dark the rendered page is at a point (PDF coordinates), 0 white to 255 black, at its darkest
    within a pixel either way (a 0.3 pt line is about one pixel wide)."""
    x, y = round((x_pt - media[0]) * scale), round((media[1] - y_pt) * scale)
    return max(255 - min(image.getpixel((x + dx, y + dy))[:3]) for dx in (-1, 0, 1) for dy in (-1, 0, 1))


def test_crop_marks_are_outside_the_bleed_and_nothing_covers_them(mini_dir):
    """The cover band runs into the bleed and stops there; the marks start 1 mm beyond it."""
    run("-C", str(mini_dir), "build", "guide", "--bleed", "--crop-marks", "--out", str(mini_dir / "p"))
    cover = pypdfium2.PdfDocument(mini_dir / "p" / "guide_a5_bleed-3mm_crop.pdf")[0].render(scale=4).to_pil()
    mm = 72 / 25.4
    top, right = 595.3, 419.5
    assert darkness(cover, -1, top + 1) > 100                        # the band, in the bleed
    assert darkness(cover, -3.5 * mm, top + 3.5 * mm) == 0           # beyond the bleed: nothing
    for outward in (5 * mm, 9 * mm):                                 # along each mark, 4 to 10 mm out
        assert darkness(cover, -outward, top) > 60                   # the top-left corner's two marks
        assert darkness(cover, 0, top + outward) > 60
        assert darkness(cover, right + outward, 0) > 60              # and the bottom-right's
    assert darkness(cover, -3.5 * mm, top) == 0                      # they start beyond the bleed


def test_a_bleed_length_can_be_given(mini_dir):
    result = run("-C", str(mini_dir), "build", "sheet", "--bleed", "0.125in", "--out", str(mini_dir / "p"))
    assert result.exit_code == 0, result.output
    page = PdfReader(mini_dir / "p" / "sheet_a4_bleed-0.125in.pdf").pages[0]
    assert box(page, "/MediaBox")[0] == -9.0
    result = run("-C", str(mini_dir), "build", "sheet", "--bleed", "lots", "--out", str(mini_dir / "p"))
    assert result.exit_code == 2
    assert "error: --bleed: expected a length such as 3mm, 0.125in or 9pt, found 'lots'" in result.output


def test_the_cover_band_runs_into_the_bleed(mini_dir):

    run("-C", str(mini_dir), "build", "guide", "--bleed", "--out", str(mini_dir / "p"))
    image = pypdfium2.PdfDocument(mini_dir / "p" / "guide_a5_bleed-3mm.pdf")[0].render(scale=2).to_pil()
    assert image.convert("RGB").getpixel((2, 2)) == (0x1F, 0x4E, 0x79)   # the corner of the bleed


def page_numbers(pdf: Path) -> list[tuple[int | None, int | None]]:
    """The page number printed in the footer of each half of each imposed sheet side (None where
    blank), read with pdfium, which follows the pages placed as form XObjects."""
    sides = []
    for page in pypdfium2.PdfDocument(pdf):
        width, _ = page.get_size()
        text = page.get_textpage()
        numbers = []
        for left, right in ((0, width / 2), (width / 2, width)):
            footer = text.get_text_bounded(left, 0, right, 45)  # the running footer's strip
            words = footer.split()
            found = [w for w in words[:1] + words[-1:] if w.isdigit() and len(w) <= 3]  # first or last: not a date
            numbers.append(int(found[-1]) if found else None)
        sides.append(tuple(numbers))
    return sides


def test_build_impose_writes_printer_spreads(mini_dir):
    out = mini_dir / "imposed"
    result = run("-C", str(mini_dir), "build", "guide", "--impose", "--out", str(out))
    assert result.exit_code == 0, result.output
    imposed = out / "guide_a5_imposed.pdf"
    reader = PdfReader(imposed)
    pages = len(PdfReader(out / "guide_a5.pdf").pages)
    assert len(reader.pages) == pages // 2                               # 2 pages a side
    assert box(reader.pages[0], "/MediaBox") == (0, 0, 841.9, 595.3)     # landscape A4
    expected = [(None if left in (1, pages) else left, None if right in (1, pages) else right)
                for left, right in saddle_stitch_order(pages)]           # covers carry no number
    assert page_numbers(imposed) == expected
    manifest = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["files"]}
    assert manifest["guide_a5_imposed.pdf"]["imposed"] is True
    assert "/StructTreeRoot" in PdfReader(out / "guide_a5.pdf").trailer["/Root"]  # reading copy stays tagged


def test_impose_any_pdf(mini_build, tmp_path):
    result = run("impose", str(mini_build / "sheet_a4.pdf"), str(tmp_path / "out.pdf"), "--sheet", "a3")
    assert result.exit_code == 0, result.output
    assert "2 sides of a 420 x 297 mm sheet" in result.output
    reader = PdfReader(tmp_path / "out.pdf")
    assert len(reader.pages) == 2                                        # 1 page padded to 4
    assert box(reader.pages[0], "/MediaBox") == (0, 0, 1190.6, 841.9)  # A4 pages at full size on A3
    refused = run("impose", str(mini_build / "sheet_a4.pdf"), str(tmp_path / "no.pdf"), "--sheet", "letter")
    assert refused.exit_code == 1
    assert "needs a sheet of at least 420 x 297 mm; letter is 279 x 216 mm" in refused.output
    assert not (tmp_path / "no.pdf").exists()


@pytest.mark.parametrize("doc", ["booklet", "what-is-ldn", "starting-ldn", "evidence", "questions"])
def test_large_print_sizes_measured_from_the_pdf(variants, doc):
    sizes = text_sizes(variants / f"{doc}_example-clinic_large-print_{trim(doc)}.pdf")
    body = max(sizes, key=sizes.get)
    assert body >= 18                                                    # the body size
    assert min(sizes) >= 16                                              # footers and captions too


@pytest.mark.parametrize("doc", ["booklet", "at-a-glance", "what-is-ldn", "questions"])
def test_standard_sizes_measured_from_the_pdf(variants, doc):
    sizes = text_sizes(variants / f"{doc}_example-clinic_{trim(doc)}.pdf")
    assert max(sizes, key=sizes.get) >= 12
    assert min(sizes) >= 9.5


def test_large_print_booklet_is_still_padded(variants):
    assert len(PdfReader(variants / "booklet_example-clinic_large-print_a5.pdf").pages) % 4 == 0


@pytest.mark.parametrize("doc", ["booklet", "at-a-glance", "what-is-ldn", "questions"])
def test_high_contrast_text_is_at_least_seven_to_one(variants, doc):
    colours = text_colours(variants / f"{doc}_example-clinic_high-contrast_{trim(doc)}.pdf")
    assert colours and all(contrast(c) >= 7 for c in colours), colours


@pytest.mark.parametrize("doc", ["booklet", "at-a-glance", "what-is-ldn"])
def test_standard_text_keeps_contrast(variants, doc):
    # White text stands only on the primary colour, itself at least 4.5:1 (checked for brands).
    colours = text_colours(variants / f"{doc}_example-clinic_{trim(doc)}.pdf") - {(1.0, 1.0, 1.0)}
    assert colours and all(contrast(c) >= 4.5 for c in colours), colours


def test_the_trifold_folds_with_the_cover_in_front(variants):
    pdf = variants / "at-a-glance_example-clinic_a4.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    assert box(reader.pages[0], "/MediaBox") == (0, 0, 841.9, 595.3)
    width = float(reader.pages[0].mediabox.width)
    def flat(outline):
        for item in outline:
            yield from flat(item) if isinstance(item, list) else [item]

    bookmarks = [(item.title, reader.get_destination_page_number(item), float(item.left or 0))
                 for item in flat(reader.outline)]
    title, page, left = bookmarks[0]                                     # read first: the front cover
    assert (title, page) == ("LDN at a Glance", 0)
    assert left > width * 2 / 3                                          # on the outer right panel
    flap = next(b for b in bookmarks if b[0] == "Questions to ask your healthcare professional")
    assert flap[1] == 0 and flap[2] < width / 3                          # the fold-in flap, outer left
    assert all(b[1] == 1 for b in bookmarks if b[0] == "What LDN is and how it may work")
    text = body_text(pdf)
    assert "Riverside Pain Clinic (example)" in text and "It is not medical advice." in text


def test_the_trifold_refuses_a_panel_that_does_not_fit(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "custom.css").write_text(".panel-flap { width: 120mm !important; }")
    result = run("-C", str(tmp_path), "build", "at-a-glance", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 1
    assert "error: at-a-glance_a4.pdf: page 2: panels ['back'] do not fit beside the others" in result.output
    assert not (tmp_path / "dist" / "at-a-glance_a4.pdf").exists()


def test_text_that_runs_off_the_page_fails_the_build(mini_dir):
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text() + '  - "See https://example.org/' + "a" * 150 + ' now."\n')
    result = run("-C", str(mini_dir), "build", "sheet", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 1
    assert "error: sheet_a4.pdf: page 1: text runs off the page: 'aaaa" in result.output


def test_the_trifold_has_no_large_print(tmp_path):
    result = run("-C", str(tmp_path), "build", "at-a-glance", "--variant", "large-print")
    assert result.exit_code == 2
    assert ("error: document 'at-a-glance' is not made in large-print\n"
            "    hint: its variants: standard, high-contrast") in result.output


def structure_headings(path: Path) -> list[int]:
    """Heading levels in the order of the structure tree."""
    tags = (str(node.get("/S", "")) for node in structure_elements(path))
    return [int(tag[2]) for tag in tags if tag in {f"/H{n}" for n in range(1, 7)}]


def test_every_output_is_tagged_with_language_title_and_headings(variants):
    for pdf in sorted(variants.glob("*.pdf")):
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en" and reader.metadata.title, pdf.name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
        xmp = root["/Metadata"].get_object().get_data().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp or 'pdfuaid:part="1"' in xmp, pdf.name
        parent_tree = root["/StructTreeRoot"]["/ParentTree"]["/Nums"]
        keys = set(parent_tree[0::2])
        for page in reader.pages:
            assert page["/StructParents"] in keys, pdf.name              # every page is tagged
        levels = structure_headings(pdf)
        assert levels[0] == 1, pdf.name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (pdf.name, levels)
        assert len(reader.outline) > 0, pdf.name


def test_every_document_fits_its_pages_on_letter_too(tmp_path):
    """Letter's narrower panels and shorter columns: the tri-fold and leaflets still fit."""
    result = run("-C", str(tmp_path), "build", "--paper", "letter", "--variant", "standard",
                 "--variant", "high-contrast", "-j", "2", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    assert len(PdfReader(tmp_path / "dist" / "at-a-glance_letter.pdf").pages) == 2
    assert len(PdfReader(tmp_path / "dist" / "what-is-ldn_high-contrast_letter.pdf").pages) in (2, 4)


def test_a_bleed_booklet_is_imposed_at_full_size_on_a_press_sheet(mini_dir):
    out = mini_dir / "press"
    result = run("-C", str(mini_dir), "build", "guide", "--bleed", "--impose", "-j", "1", "--out", str(out))
    assert result.exit_code == 0, result.output
    reader = PdfReader(out / "guide_a5_bleed-3mm_imposed.pdf")
    mm = 72 / 25.4
    side = reader.pages[0]
    assert [round(float(v) / mm) for v in side.mediabox[2:]] == [450, 320]              # SRA3
    assert (round(float(side.trimbox.width) / mm, 1), round(float(side.trimbox.height) / mm, 1)) == (296.0, 210.0)
    assert float(side.trimbox.left - side.bleedbox.left) == pytest.approx(3 * mm, abs=0.01)
    with_creep = run("-C", str(mini_dir), "build", "guide", "--bleed", "--impose", "--creep", "0.5mm", "-j", "1",
                     "--out", str(out))
    assert "wrote guide_a5_bleed-3mm.pdf" in with_creep.output  # the spreads changed, so they are rewritten


def test_the_trifold_cover_runs_into_the_bleed_and_its_high_contrast_frame_keeps_off_the_trim(tmp_path):
    out = tmp_path / "dist"
    result = run("-C", str(tmp_path), "build", "at-a-glance", "--variant", "standard", "--variant", "high-contrast",
                 "--bleed", "--out", str(out))
    assert result.exit_code == 0, result.output
    cover = pypdfium2.PdfDocument(out / "at-a-glance_a4_bleed-3mm.pdf")[0].render(scale=2).to_pil().convert("RGB")
    width, height = cover.size
    band = (0x1F, 0x4E, 0x79)
    for x, y in ((width - 2, 2), (width - 2, height - 2), (width - 2, height // 2), (width - 150, height - 2)):
        assert cover.getpixel((x, y)) == band, (x, y)  # no white sliver after trimming, on any of three edges
    framed = pypdfium2.PdfDocument(out / "at-a-glance_high-contrast_a4_bleed-3mm.pdf")[0].render(scale=2).to_pil()
    framed = framed.convert("L")
    mm = 2 * 72 / 25.4  # pixels
    bleed = round(3 * mm)
    near_trim = [framed.getpixel((width - 1 - bleed - round(d * mm), height // 2)) for d in (0.5, 1, 2, 3)]
    assert min(near_trim) > 200  # nothing dark within 3 mm of the trim
    assert min(framed.getpixel((width - 1 - bleed - x, height // 2)) for x in range(round(3 * mm), round(6 * mm))) < 60
