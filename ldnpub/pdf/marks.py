"""Printer's marks: crop marks at the corners of the trim and fold marks, outside the bleed.

Shared by imposed sheets (impose.py) and single pages (finish.py), so both look the same: 0.3 pt
lines in black ink only, 6 mm long, starting 1 mm beyond the bleed (3 mm beyond the trim without
bleed), never covered by artwork.
"""

from __future__ import annotations

MM = 72 / 25.4
MARK_OFFSET = 1 * MM  # between the bleed's edge and a mark
MARK_MIN_OFFSET = 3 * MM  # from the trim, when there is no bleed
MARK_LENGTH = 6 * MM
MARK_WIDTH = 0.3  # points
MARGIN = 2 * MM  # beyond a single page's marks, so a printer never clips them

Line = tuple[float, float, float, float]


def offset(bleed: float) -> float:
    """How far from the trim the marks start."""
    return max(bleed + MARK_OFFSET, MARK_MIN_OFFSET)


def reach(bleed: float) -> float:
    """How far beyond the trim the marks reach."""
    return offset(bleed) + MARK_LENGTH


def crop_lines(left: float, bottom: float, right: float, top: float, bleed: float) -> list[Line]:
    """Two lines at each corner of the trim box, pointing outward, beyond the bleed."""
    start = offset(bleed)
    lines = []
    for x, outward_x in ((left, -1), (right, 1)):
        for y, outward_y in ((bottom, -1), (top, 1)):
            lines.append((x + outward_x * start, y, x + outward_x * (start + MARK_LENGTH), y))
            lines.append((x, y + outward_y * start, x, y + outward_y * (start + MARK_LENGTH)))
    return lines


def fold_lines(x: float, bottom: float, top: float, bleed: float) -> list[Line]:
    """A fold at x: a mark above the top and below the bottom of the trim."""
    start = offset(bleed)
    return [(x, top + start, x, top + start + MARK_LENGTH), (x, bottom - start, x, bottom - start - MARK_LENGTH)]


def content(crops: list[Line], folds: list[Line] = ()) -> str:
    """PDF content drawing the marks: solid crop marks, dashed fold marks, in DeviceGray black."""
    def path(lines):
        return " ".join(f"{x1:.4f} {y1:.4f} m {x2:.4f} {y2:.4f} l" for x1, y1, x2, y2 in lines)
    drawn = f"q {MARK_WIDTH} w 0 G {path(crops)} S"
    if folds:
        drawn += f" [2 2] 0 d {path(folds)} S"
    return drawn + " Q"
