"""What a screen reader meets on each page: the structure elements in reading order, with their
words, alternative text and language, and the text left out as artifacts (running footers).

Read back from the PDF with pdfium (pypdfium2): the checks no validator can make (is the order
right, does the alt text say something, is a heading a heading) are left to a person, as the
Matterhorn Protocol's manual checks are.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium

SHOWN = {"H1", "H2", "H3", "H4", "H5", "H6", "P", "L", "LI", "Figure", "Table", "TH", "TD", "Caption", "Link"}  # what a person checks; containers (Sect, Div, LBody, Span) only indent
TEXT_LIMIT = 90


@dataclass(frozen=True, slots=True)
class Tagged:
    depth: int
    tag: str
    text: str
    alt: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class PageReading:
    elements: tuple[Tagged, ...]
    skipped: tuple[str, ...]  # text on the page outside the reading order (artifacts, running footers)


def reading_order(pdf: Path) -> list[PageReading]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [_page(document[index]) for index in range(len(document))]
    finally:
        document.close()


def _page(page) -> PageReading:
    texts, unmarked = _marked_texts(page)
    tree = pdfium.FPDF_StructTree_GetForPage(page.raw)
    elements: list[Tagged] = []
    read: set[int] = set()
    try:
        for index in range(pdfium.FPDF_StructTree_CountChildren(tree)):
            _walk(pdfium.FPDF_StructTree_GetChildAtIndex(tree, index), 0, texts, elements, read)
    finally:
        pdfium.FPDF_StructTree_Close(tree)
    skipped = unmarked + [texts[mcid] for mcid in sorted(texts) if mcid not in read]
    return PageReading(tuple(elements), tuple(" ".join(t.split()) for t in skipped if t.strip()))


def _marked_texts(page) -> tuple[dict[int, str], list[str]]:
    """The text of each marked-content id on the page, and the unmarked text."""
    text_page = page.get_textpage()
    texts: dict[int, str] = {}
    artifacts: list[str] = []
    try:
        for obj in page.get_objects(max_depth=2):
            if obj.type != pdfium.FPDF_PAGEOBJ_TEXT:
                continue
            text = _wide(pdfium.FPDFTextObj_GetText, obj.raw, text_page.raw)
            mcid = pdfium.FPDFPageObj_GetMarkedContentID(obj.raw)
            if mcid < 0:
                artifacts.append(text)
            else:
                texts[mcid] = texts.get(mcid, "") + text
    finally:
        text_page.close()
    return texts, artifacts


def _walk(element, depth: int, texts: dict[int, str], out: list[Tagged], read: set[int]) -> str:
    """Add the element (if shown) and its descendants; returns the element's words."""
    tag = _wide(pdfium.FPDF_StructElement_GetType, element)
    position = len(out)
    mcids = [pdfium.FPDF_StructElement_GetMarkedContentIdAtIndex(element, i)
             for i in range(max(pdfium.FPDF_StructElement_GetMarkedContentIdCount(element), 0))]
    read.update(mcids)
    words = [texts.get(mcid, "") for mcid in mcids]
    shown = tag in SHOWN
    for index in range(pdfium.FPDF_StructElement_CountChildren(element)):
        child = pdfium.FPDF_StructElement_GetChildAtIndex(element, index)
        if child:
            words.append(_walk(child, depth + shown, texts, out, read))
    text = " ".join(" ".join(words).split())
    if shown:
        alt = _wide(pdfium.FPDF_StructElement_GetAltText, element)
        lang = _wide(pdfium.FPDF_StructElement_GetLang, element)
        shown_text = text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT - 1] + "…"
        out.insert(position, Tagged(depth, tag, shown_text, alt, lang))
    return text


def _wide(function, *args) -> str:
    """A UTF-16 string from a pdfium getter that reports the size it needs, in bytes."""
    size = function(*args, None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    function(*args, ctypes.cast(buffer, function.argtypes[-2]), size)
    return bytes(buffer)[:size].decode("utf-16-le").rstrip("\x00")
