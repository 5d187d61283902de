"""Make the README's pictures from real output: python docs/previews.py (needs the test extra)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pypdfium2
from PIL import Image

import ldnpub

IMAGES = Path(__file__).parent / "images"


def pages(pdf: Path, numbers: list[int], scale: float) -> Image.Image:
    """The given pages (1-based) side by side."""
    document = pypdfium2.PdfDocument(pdf)
    images = [document[n - 1].render(scale=scale).to_pil() for n in numbers]
    gap = 12
    sheet = Image.new("RGB", (sum(i.width for i in images) + gap * (len(images) - 1),
                              max(i.height for i in images)), "#8a8a8a")
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + gap
    return sheet


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        project = ldnpub.load_project(Path(tmp))
        report = ldnpub.build(project, ldnpub.BuildOptions(doc_ids=("booklet", "what-is-ldn", "starting-ldn")), out)
        assert not report.failed, report.problems
        IMAGES.mkdir(exist_ok=True)
        pages(out / "booklet_a5.pdf", [1, 2], scale=0.9).save(IMAGES / "booklet.png", optimize=True)
        pages(out / "what-is-ldn_a4.pdf", [1, 2], scale=0.6).save(IMAGES / "leaflet.png", optimize=True)
        pages(out / "starting-ldn_a4.pdf", [1, 2], scale=0.6).save(IMAGES / "starting-ldn.png", optimize=True)
        spanish = ldnpub.build(project, ldnpub.BuildOptions(doc_ids=("what-is-ldn",), languages=("es",)), out)
        assert not spanish.failed, spanish.problems
        pages(out / "what-is-ldn_es_a4.pdf", [1], scale=1.0).quantize(64).save(IMAGES / "leaflet-es.png", optimize=True)
        press = out / "press"
        report = ldnpub.build(project, ldnpub.BuildOptions(doc_ids=("booklet",), bleed="3mm", crop_marks=True,
                                                           impose=True), press)
        assert not report.failed, report.problems
        pages(press / "booklet_a5_bleed-3mm_crop_imposed.pdf", [1], scale=0.45).save(
            IMAGES / "imposed-sheet.png", optimize=True)
        # docs/images/leaflet-before.png is the same leaflet's first side before the plain-language
        # rewrite (version 0.1.0 of the content), kept for the README's comparison.


if __name__ == "__main__":
    main()
