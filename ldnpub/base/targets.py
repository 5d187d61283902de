"""Targets: the papers and variants a document is built in, and the files a build writes.

Adding a paper size is one entry in PAPERS; adding a variant is one entry in VARIANTS plus its
stylesheet. The layouts take their page sizes from here, the CLI its choices, impose its sheets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TrifoldPanels:
    """A roll-fold tri-fold on one landscape sheet (width x height, mm): the front and back panels,
    and the fold-in flap that takes the rest, so that it folds inside the other two."""

    sheet_mm: tuple[float, float]
    panel_mm: float  # the front and back panels' width

    @property
    def panel(self) -> str:
        return f"{self.panel_mm:g}mm"

    @property
    def flap(self) -> str:
        """A hair under its share of the sheet, so rounding never pushes a panel off the row."""
        return f"{round(self.sheet_mm[0] - 2 * self.panel_mm - 0.2, 2):g}mm"

    @property
    def height(self) -> str:
        return f"{round(self.sheet_mm[1] - 0.5, 2):g}mm"

    def folds(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """Where the sheet folds, in mm from the trim's left edge: on the outside (flap, back,
        front from left to right) and on the inside (its mirror image)."""
        width, panel = self.sheet_mm[0], self.panel_mm
        return (round(width - 2 * panel, 3), round(width - panel, 3)), (panel, 2 * panel)


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper size, and the pages each layout makes of it."""

    id: str
    name: str
    sheet: str  # the sheet as a CSS page size: a leaflet's page
    half: str  # half the sheet: a booklet's page, two to a sheet side
    sheet_points: tuple[float, float]  # the sheet landscape (width, height), for imposition
    trifold: TrifoldPanels
    press_sheet: str  # the print shop's sheet that holds a booklet spread with bleed and marks
    half_name: str  # the trim size of half the sheet, as file names say it
    output_condition: str  # the printing condition press files are made for unless a shop names its own

    def trim_name(self, layout: str) -> str:
        """The trim size a layout's pages have on this paper, as file names say it: a booklet on
        A4 paper is A5 (booklet_a5.pdf), on Letter half-letter."""
        return self.half_name if layout == "booklet" else self.id

    def page_size(self, layout: str) -> str:
        """The CSS `size` of a layout's pages on this paper."""
        return {"booklet": self.half, "trifold": f"{self.sheet} landscape"}.get(layout, self.sheet)


PAPERS: dict[str, Paper] = {
    "a4": Paper("a4", "A4", "A4", "A5", (841.89, 595.28), TrifoldPanels((297, 210), 100), "sra3", "a5",
                "fogra39"),
    "letter": Paper("letter", "US Letter", "letter", "5.5in 8.5in", (792.0, 612.0),
                    TrifoldPanels((279.4, 215.9), 93.9), "tabloid", "half-letter", "swop"),
}

MM = 72 / 25.4  # points per millimetre

# Landscape sheets to impose on, (width, height) in points: the office papers, and the print shop's.
SHEETS: dict[str, tuple[float, float]] = {
    **{paper.id: paper.sheet_points for paper in PAPERS.values()},
    "a3": (420 * MM, 297 * MM),
    "tabloid": (17 * 72.0, 11 * 72.0),
    "sra4": (320 * MM, 225 * MM),
    "sra3": (450 * MM, 320 * MM),
}
AUTO_SHEET = "auto"  # the smallest sheet (in whole millimetres) that holds the spread, bleed and marks


@dataclass(frozen=True, slots=True)
class Variant:
    """A way of printing the same content for different readers."""

    id: str
    stylesheet: str | None  # added after the layout's, from styles/
    brand_colours: bool  # high contrast keeps black on white whatever the brand
    large_print: bool  # the document's max_pages_large_print applies


VARIANTS: dict[str, Variant] = {
    "standard": Variant("standard", None, brand_colours=True, large_print=False),
    "large-print": Variant("large-print", "large-print.css", brand_colours=True, large_print=True),
    "high-contrast": Variant("high-contrast", "high-contrast.css", brand_colours=False, large_print=False),
}
DEFAULT_VARIANT = "standard"

# The accessibility standards WeasyPrint writes: PDF/UA-1 (PDF 1.7) and PDF/UA-2 (PDF 2.0).
PDF_STANDARDS = ("ua-1", "ua-2")
DEFAULT_PDF_STANDARD = "ua-1"


@dataclass(frozen=True, slots=True)
class BuildTarget:
    """One file a build writes: a document for one condition, variant, paper and brand."""

    document: str
    paper: str
    condition: str | None = None
    variant: str = DEFAULT_VARIANT
    brand: str | None = None
    bleed: str | None = None  # a CSS length, e.g. "3mm"
    crop_marks: bool = False
    pdf_standard: str = DEFAULT_PDF_STANDARD
    layout: str = "leaflet"  # the document's layout, which decides its trim size on the paper
    language: str | None = None  # a translation's language code; None: the publication's own

    @property
    def output_name(self) -> str:
        """Predictable from the fields; fields are ids (no '_'), so names never collide. The name
        says the trim size (booklet_a5.pdf), not the paper it was chosen with (--paper a4)."""
        parts = [self.document, self.condition, self.brand,
                 None if self.variant == DEFAULT_VARIANT else self.variant, self.language, self.trim_name,
                 f"bleed-{self.bleed}" if self.bleed else None, "crop" if self.crop_marks else None,
                 None if self.pdf_standard == DEFAULT_PDF_STANDARD else self.pdf_standard]
        return "_".join(p for p in parts if p) + ".pdf"

    @property
    def trim_name(self) -> str:
        return PAPERS[self.paper].trim_name(self.layout)

    @property
    def html_name(self) -> str:
        return self.output_name.removesuffix(".pdf") + ".html"

    @property
    def imposed_name(self) -> str:
        return self.output_name.removesuffix(".pdf") + "_imposed.pdf"

    @property
    def press_name(self) -> str:
        return self.output_name.removesuffix(".pdf") + "_press.pdf"

    @property
    def paper_size(self) -> Paper:
        return PAPERS[self.paper]

    @property
    def variant_kind(self) -> Variant:
        return VARIANTS[self.variant]
