"""Finishing: what a PDF promises beyond its HTML, as a PrintSpec made from the target.

The spec carries the page multiple the document is padded to (with the layout's spare pages),
the page limit the catalog allows, the folders the PDF stage may read and the name that seeds
the PDF's identifier. A saddle-stitched booklet opens with its bookmarks shown and its pages as
spreads: those viewer settings are written into the PDF's catalog as WeasyPrint writes it (its
`finisher` hook), since re-reading and re-writing the file with pypdf would cost a fifth of a
second per booklet and could disturb the structure tree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ldnpub.base import fonts
from ldnpub.pdf import marks
from ldnpub.base.errors import BuildError, Problem
from ldnpub.content.project import Project
from ldnpub.edition.tailor import Edition

SADDLE_STITCH = 4  # a page multiple of 4 or more: folded sheets, a booklet
BOOKLET_VIEWER = {"PageMode": "/UseOutlines", "PageLayout": "/TwoPageRight"}
SPARE = "spare-"  # the id prefix of a layout's spare pages


@dataclass(frozen=True, slots=True)
class PrintSpec:
    """What the PDF stage must make of an HtmlPage."""

    identifier: str  # the output file's name: names problems, seeds the PDF identifier
    page_multiple: int
    max_pages: int | None
    allowed_roots: tuple[Path, ...]  # the only folders the PDF stage may read
    pdf_variant: str = "pdf/ua-1"  # WeasyPrint's name of the standard written
    crop_marks: bool = False  # crop marks outside the bleed on every page
    page_budget: int | None = None  # the pages it is meant to fit: longer, it is laid out again, tighter
    folds: tuple[tuple[float, ...], ...] = ()  # with crop marks: fold marks, per page (cycled), mm from the trim's left

    @property
    def saddle_stitched(self) -> bool:
        return self.page_multiple >= SADDLE_STITCH

    @property
    def pdf_identifier(self) -> bytes:
        """Fixed by the file's name, so the same inputs give the same bytes."""
        return hashlib.sha256(self.identifier.encode()).hexdigest()[:32].encode()


@dataclass(frozen=True, slots=True)
class PdfResult:
    """What the PDF stage made of an HtmlPage and its PrintSpec."""

    data: bytes
    pages: int
    inputs: tuple[tuple[str, str], ...] = ()  # (path, sha256) of every file WeasyPrint read


def readable_roots(roots: tuple[Path, ...]) -> tuple[Path, ...]:
    """The project's folder, and of the shipped files only their content folders: run from a
    checkout, the shipped root is the whole repository (.git, .venv), which no document reads."""
    from ldnpub.content.search import CONTENT_FOLDERS

    return roots[:1] + tuple(root / folder for root in roots[1:] for folder in CONTENT_FOLDERS)


def print_spec(project: Project, edition: Edition) -> PrintSpec:
    document, target = edition.document, edition.target
    brand = edition.brand
    return PrintSpec(
        identifier=target.output_name,
        page_multiple=document.page_multiple,
        max_pages=document.max_pages_large_print if target.variant_kind.large_print else document.max_pages,
        allowed_roots=readable_roots(project.search.roots) + fonts.font_dirs(tuple(project.publication.fallback_fonts.values())) + ((brand.folder,) if brand else ()),
        pdf_variant=f"pdf/{target.pdf_standard}",
        crop_marks=target.crop_marks,
        page_budget=document.pages_large_print if target.variant_kind.large_print else document.pages,
        folds=target.paper_size.trifold.folds() if document.layout == "trifold" and target.crop_marks else (),
    )


def viewer_settings(spec: PrintSpec) -> dict[str, str]:
    """Catalog entries for the viewer: a booklet opens as spreads with its bookmarks."""
    return BOOKLET_VIEWER if spec.saddle_stitched else {}


def keep_needed_spare_pages(pages: list, spec: PrintSpec) -> list:
    """The laid-out pages with as many of the layout's spare pages (id spare-N) as padding to
    the page multiple needs. Padding this way costs no second layout: the spare pages are laid
    out once and the surplus is left out of the PDF."""
    spare = [page for page in pages if any(anchor.startswith(SPARE) for anchor in page.anchors)]
    if not spare:
        return pages
    needed = (-(len(pages) - len(spare))) % spec.page_multiple
    drop = {id(page) for page in spare[needed:]}
    return [page for page in pages if id(page) not in drop]


def check_pages(pages: int, spec: PrintSpec) -> None:
    """The page count the catalog promises: at most max_pages, a multiple of page_multiple."""
    if spec.max_pages and pages > spec.max_pages:
        raise BuildError("too long", (Problem(None, None, None,
            f"{spec.identifier}: {pages} pages, the catalog allows {spec.max_pages}",
            "shorten the sections of this document or raise max_pages in catalog.yaml"),))
    if pages % spec.page_multiple:
        raise BuildError("bad page count", (Problem(None, None, None,
            f"{spec.identifier}: {pages} pages is not a multiple of {spec.page_multiple}",
            "the layout needs enough spare pages (id spare-N) to pad the document"),))


def add_crop_marks(pdf, folds: tuple[tuple[float, ...], ...] = ()) -> None:
    """Crop marks outside the bleed on every page of a PDF as WeasyPrint writes it (its pydyf
    objects, in its `finisher` hook). WeasyPrint's own marks are 1.5 mm long and sit inside the
    bleed, where the artwork covers them; here the media grows to hold marks a print shop accepts,
    the page's own drawing is clipped to its bleed so nothing covers them, and they are an
    artifact, which screen readers skip. `folds` puts fold marks too: each page's folds (the
    list cycled over the pages), in mm from the trim's left edge."""
    import pydyf

    pages = [page for page in pdf.objects
             if isinstance(page, pydyf.Dictionary) and page.get("Type") == "/Page" and "TrimBox" in page]
    for number, page in enumerate(pages):
        left, bottom, right, top = (float(v) for v in page["TrimBox"])
        media = [float(v) for v in page["MediaBox"]]  # the trim and the whole bleed
        bleed = min(left - media[0], media[2] - right, bottom - media[1], media[3] - top)
        reach = marks.reach(bleed) + marks.MARGIN
        clip = pydyf.Stream([f"q {media[0]:.4f} {media[1]:.4f} {media[2] - media[0]:.4f} "
                             f"{media[3] - media[1]:.4f} re W n".encode()])
        fold_lines = [line for x in (folds[number % len(folds)] if folds else ())
                      for line in marks.fold_lines(left + x * marks.MM, bottom, top, bleed)]
        drawn = pydyf.Stream([b"Q /Artifact BMC " + marks.content(
            marks.crop_lines(left, bottom, right, top, bleed), fold_lines).encode() + b" EMC"])
        pdf.add_object(clip)
        pdf.add_object(drawn)
        page["Contents"] = pydyf.Array([clip.reference, page["Contents"], drawn.reference])
        page["MediaBox"] = pydyf.Array([left - reach, bottom - reach, right + reach, top + reach])
