"""Imposition: the saddle-stitch order, and imposed PDFs read back half by half."""

from __future__ import annotations

import functools
import io
import os
import re
import subprocess
import sys
import time

import pypdfium2
import pytest
import weasyprint
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject

from ldnpub.base.errors import BuildError
from ldnpub.prepress.impose import MM, SHEETS, impose, impose_pages, saddle_stitch_order


@functools.cache
def numbered_pdf(pages: int, size: str = "A5", bleed: str = "") -> bytes:
    """A PDF whose page k says "Page k" (A5 unless told; with bleed, boxes as ldnpub writes them)."""
    body = "".join(f'<p style="break-after: page">Page {k}</p>' for k in range(1, pages + 1))
    rule = f"bleed: {bleed};" if bleed else ""
    html = f"<style>@page {{ size: {size}; margin: 2cm; {rule} }}</style>{body}"
    return weasyprint.HTML(string=html).write_pdf()


def halves(data: bytes) -> list[tuple[int | None, int | None]]:
    """For each page of `data`, the page numbers printed in its left and right halves."""
    return [(found.get("left"), found.get("right")) for found in _numbers(data)]


def _numbers(data: bytes) -> list[dict]:
    document = pypdfium2.PdfDocument(data)
    sides = []
    for page in document:
        width, height = page.get_size()
        text = page.get_textpage()
        found = {}
        for name, (left, right) in {"left": (0, width / 2), "right": (width / 2, width)}.items():
            match = re.search(r"Page (\d+)", text.get_text_bounded(left, 0, right, height))
            if match:
                found[name] = int(match.group(1))
        sides.append(found)
    return sides


def text_x(data: bytes, side: int) -> list[float]:
    """The x positions of the "Page" texts on one side of `data`."""
    page = pypdfium2.PdfDocument(data)[side]
    text = page.get_textpage()
    content = text.get_text_range()
    return sorted(text.get_charbox(match.start())[0] for match in re.finditer("Page", content))


@pytest.mark.parametrize(("pages", "expected"), [
    (4, [(4, 1), (2, 3)]),
    (8, [(8, 1), (2, 7), (6, 3), (4, 5)]),
    (6, [(None, 1), (2, None), (6, 3), (4, 5)]),
    (1, [(None, 1), (None, None)]),
])
def test_order(pages, expected):
    assert saddle_stitch_order(pages) == expected


@pytest.mark.parametrize("pages", [1, 2, 3, 4, 5, 6, 7, 8, 28, 29])
def test_order_holds_every_page_once(pages):
    sides = saddle_stitch_order(pages)
    padded = pages + (-pages) % 4
    numbers = [n for side in sides for n in side]
    assert len(sides) == padded // 2
    assert sorted(n for n in numbers if n is not None) == list(range(1, pages + 1))
    assert numbers.count(None) == padded - pages
    assert sides[0][1] == 1
    # the two pages of a sheet side always add up to the padded count plus one
    assert all(left + right == padded + 1 for left, right in sides if left and right)


def test_order_28_pages():
    sides = saddle_stitch_order(28)
    assert sides[0] == (28, 1) and sides[1] == (2, 27)
    assert sides[-2:] == [(16, 13), (14, 15)]


@pytest.mark.parametrize("pages", [0, -1])
def test_order_refuses_no_pages(pages):
    with pytest.raises(ValueError, match="at least one page"):
        saddle_stitch_order(pages)


PAGE_FOR = {"a4": "A5", "letter": "5.5in 8.5in"}  # the page two of which make the sheet


@pytest.mark.parametrize("sheet", ["a4", "letter"])
@pytest.mark.parametrize("pages", [8, 6])
def test_impose_reads_back_in_order(pages, sheet):
    data, sides = impose(numbered_pdf(pages, PAGE_FOR[sheet]), sheet)
    assert halves(data) == saddle_stitch_order(pages)
    assert sides == 4
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == sides
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(SHEETS[sheet])


@pytest.mark.parametrize("sheet", ["a4", "letter"])
def test_the_pages_of_a_spread_meet_at_the_spine_at_full_size(sheet):
    data, _ = impose(numbered_pdf(8, PAGE_FOR[sheet]), sheet)
    left, right = text_x(data, 0)
    page_width = float(PdfReader(io.BytesIO(numbered_pdf(8, PAGE_FOR[sheet]))).pages[0].trimbox.width)
    assert right - left == pytest.approx(page_width, abs=0.01)  # the same place on each page, unscaled
    side = PdfReader(io.BytesIO(data)).pages[0]
    assert float(side.trimbox.width) == pytest.approx(2 * page_width, abs=0.01)


def test_impose_is_deterministic(tmp_path):
    """The second run is another process, a second later, in another time zone: a clock or a
    random id in the output would show."""
    source = tmp_path / "source.pdf"
    source.write_bytes(numbered_pdf(6, PAGE_FOR["letter"]))
    here = impose(source.read_bytes(), "letter")[0]
    time.sleep(1.1)
    code = ("import sys; from pathlib import Path; from ldnpub.prepress.impose import impose; "
            "sys.stdout.buffer.write(impose(Path(sys.argv[1]).read_bytes(), 'letter')[0])")
    there = subprocess.run([sys.executable, "-c", code, str(source)], capture_output=True, check=True,
                           env={**os.environ, "TZ": "Pacific/Kiritimati"}).stdout
    assert here == there


def test_rotated_and_shifted_pages_stay_in_their_half():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(numbered_pdf(4))))
    writer.pages[0].rotate(90)
    shifted = writer.pages[2]
    shifted.add_transformation(Transformation().translate(500, 300))
    box = shifted.mediabox
    shifted.mediabox = RectangleObject([500, 300, 500 + float(box.width), 300 + float(box.height)])
    shifted.pop("/CropBox", None)
    out = io.BytesIO()
    writer.write(out)
    data, _ = impose(out.getvalue(), "a3")  # the turned page is landscape A5: wider than half an A4
    assert halves(data) == saddle_stitch_order(4)


@pytest.mark.parametrize("source", [b"", b"not a pdf", numbered_pdf(4)[:300]])
def test_unreadable_input_fails_clearly(source):
    with pytest.raises(BuildError) as caught:
        impose(source)
    assert "not a readable PDF" in str(caught.value)


def test_unknown_sheet_fails_clearly():
    with pytest.raises(BuildError) as caught:
        impose(numbered_pdf(4), "b5")
    assert "'b5'" in str(caught.value) and "a4, letter, a3, tabloid, sra4, sra3, auto" in str(caught.value)


def _a5_with_bleed(pages: int = 8) -> bytes:
    return numbered_pdf(pages, "A5", "3mm")


def test_a_bleed_booklet_goes_on_a_press_sheet_at_full_size_with_marks():
    imposed = impose_pages(_a5_with_bleed(), "sra3")
    assert [round(v / MM) for v in imposed.sheet] == [450, 320]
    side = PdfReader(io.BytesIO(imposed.data)).pages[0]
    trim, bleed = side.trimbox, side.bleedbox
    assert (round(float(trim.width) / MM, 1), round(float(trim.height) / MM, 1)) == (296.0, 210.0)
    assert float(trim.left - bleed.left) == pytest.approx(3 * MM, abs=0.01)
    image = pypdfium2.PdfDocument(imposed.data)[0].render(scale=4).to_pil().convert("L")
    scale = 4

    def dark(x_points: float, y_points: float) -> bool:
        """Ink within a pixel of the point (the marks are hairlines)."""
        x, y = round(x_points * scale), round((imposed.sheet[1] - y_points) * scale)
        return min(image.getpixel((x + dx, y + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)) < 160

    corner_x, corner_y = float(trim.left), float(trim.top)
    assert dark(corner_x - 3 * MM - 1 * MM - 3 * MM, corner_y)   # the crop mark, beyond the bleed
    assert dark(corner_x, corner_y + 3 * MM + 1 * MM + 3 * MM)
    assert not dark(corner_x - 2 * MM, corner_y)                 # nothing drawn in the bleed at the corner
    spine = imposed.sheet[0] / 2
    assert dark(spine, corner_y + 3 * MM + 1 * MM + 0.5)         # the fold mark, dashed from its start


def test_a_sheet_too_small_for_the_bleed_is_refused_with_what_would_fit():
    with pytest.raises(BuildError) as caught:
        impose(_a5_with_bleed(), "a4")
    message = str(caught.value)
    assert "needs a sheet of at least 316 x 230 mm; a4 is 297 x 210 mm; pages are never scaled" in message
    assert "--sheet sra3" in message


def test_auto_cuts_the_sheet_to_the_spread_its_bleed_and_marks():
    imposed = impose_pages(_a5_with_bleed(), "auto")
    assert [round(v / MM) for v in imposed.sheet] == [316, 230]


def test_creep_moves_inner_sheets_toward_the_spine():
    data, sides = impose(numbered_pdf(8), "a4", creep=1 * MM)
    assert sides == 4
    outer_left, outer_right = text_x(data, 0)
    inner_left, inner_right = text_x(data, 2)  # the second (inner) sheet
    assert inner_left - outer_left == pytest.approx(1 * MM, abs=0.05)
    assert inner_right - outer_right == pytest.approx(-1 * MM, abs=0.05)


def test_the_imposed_file_keeps_the_title():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(numbered_pdf(4))))
    writer.add_metadata({"/Title": "Mini Guide"})
    out = io.BytesIO()
    writer.write(out)
    assert PdfReader(io.BytesIO(impose(out.getvalue())[0])).metadata.title == \
        "Mini Guide (imposed for saddle stitching)"
