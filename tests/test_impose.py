"""Imposition: the saddle-stitch order, and imposed PDFs read back half by half."""

from __future__ import annotations

import functools
import io
import os
import re
import subprocess
import sys
import time

import pytest
import weasyprint
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject

from ldnpub.errors import BuildError
from ldnpub.impose import SHEETS, impose, saddle_stitch_order


@functools.cache
def numbered_pdf(pages: int) -> bytes:
    """An A5 PDF whose page k says "Page k"."""
    body = "".join(f'<p style="break-after: page">Page {k}</p>' for k in range(1, pages + 1))
    html = f"<style>@page {{ size: A5; margin: 2cm }}</style>{body}"
    return weasyprint.HTML(string=html).write_pdf()


def halves(data: bytes) -> list[tuple[int | None, int | None]]:
    """For each page of `data`, the page numbers printed in its left and right halves."""
    sides = []
    for page in PdfReader(io.BytesIO(data)).pages:
        middle = float(page.mediabox.width) / 2
        found: dict[bool, int] = {}

        def visit(text, cm, tm, font, size, found=found, middle=middle):
            match = re.search(r"Page (\d+)", text)
            if match:
                right = tm[4] * cm[0] + tm[5] * cm[2] + cm[4] >= middle
                assert right not in found, "two pages in one half"
                found[right] = int(match.group(1))

        page.extract_text(visitor_text=visit)
        sides.append((found.get(False), found.get(True)))
    return sides


def text_x(data: bytes, side: int) -> list[float]:
    """The x positions of the "Page" texts on one side of `data`."""
    xs: list[float] = []
    page = PdfReader(io.BytesIO(data)).pages[side]
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: xs.append(
        tm[4] * cm[0] + tm[5] * cm[2] + cm[4]) if "Page" in text else None)
    return sorted(xs)


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


@pytest.mark.parametrize("sheet", ["a4", "letter"])
@pytest.mark.parametrize("pages", [8, 6])
def test_impose_reads_back_in_order(pages, sheet):
    data, sides = impose(numbered_pdf(pages), sheet)
    assert halves(data) == saddle_stitch_order(pages)
    assert sides == 4
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == sides
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(SHEETS[sheet])


@pytest.mark.parametrize("sheet", ["a4", "letter"])
def test_pages_sit_at_the_same_place_in_each_half(sheet):
    data, _ = impose(numbered_pdf(8), sheet)
    left, right = text_x(data, 0)
    assert right - left == pytest.approx(SHEETS[sheet][0] / 2, abs=0.01)


def test_impose_is_deterministic(tmp_path):
    """The second run is another process, a second later, in another time zone: a clock or a
    random id in the output would show."""
    source = tmp_path / "source.pdf"
    source.write_bytes(numbered_pdf(6))
    here = impose(source.read_bytes(), "letter")[0]
    time.sleep(1.1)
    code = ("import sys; from pathlib import Path; from ldnpub.impose import impose; "
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
    data, _ = impose(out.getvalue(), "a4")
    assert halves(data) == saddle_stitch_order(4)


@pytest.mark.parametrize("source", [b"", b"not a pdf", numbered_pdf(4)[:300]])
def test_unreadable_input_fails_clearly(source):
    with pytest.raises(BuildError) as caught:
        impose(source)
    assert "not a readable PDF" in str(caught.value)


def test_unknown_sheet_fails_clearly():
    with pytest.raises(BuildError) as caught:
        impose(numbered_pdf(4), "tabloid")
    assert "'tabloid'" in str(caught.value) and "a4, letter" in str(caught.value)
