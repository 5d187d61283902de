"""The structure tree as WeasyPrint writes it, repaired before the PDF is written.

WeasyPrint tags each page on its own, so a paragraph, list or table that crosses a page break
becomes two structure elements, and a screen reader reads one paragraph as two (WeasyPrint
#2903). A list item whose content is laid out as blocks (an icon beside its text, lines to write
on) holds Spans where PDF/UA allows only Lbl and LBody (veraPDF rule 7.2-20). An element with
its own `lang` (a term in another language) carries no /Lang.

While WeasyPrint builds the tree, `recording()` notes which HTML element each structure element
came from; `repair()` then, on the objects pydyf is about to write (WeasyPrint's finisher hook):
- merges consecutive siblings made from the same HTML element (split by a page break, or
  twice on one page) into the first, and lifts the children of an element nested in another made
  from the same HTML element (a P in a P) into the outer one, keeping every
  marked-content id (an id on another page becomes a marked-content reference with its page)
  and pointing the parent tree at the element that remains;
- wraps what a list item holds besides its Lbl into one LBody;
- gives each element made from an HTML element with its own `lang` that /Lang;
- says how each list is numbered (ListNumbering), and makes a Span that stands as a block in a
  grouping element (an icon, a line to write on) a Div, as PDF/UA-2 asks;
- for PDF/UA-2, points each link and bookmark at the structure element it leads to.

The tree is pydyf's: dictionaries whose children are references (b"12 0 R") to objects in
`pdf.objects`, or marked-content ids (ints).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import pydyf


@dataclass
class Sources:
    """Which HTML element each structure element came from, by the element's object number."""

    elements: dict[int, object] = field(default_factory=dict)


@contextmanager
def recording():
    """While WeasyPrint tags a document, remember each structure element's HTML element.

    `_build_box_tree` is WeasyPrint's own (private) recursive function: it is wrapped for the
    time of one write only, and its results are unchanged."""
    from weasyprint.pdf import tags as weasy_tags  # the PDF stage only: list and check never load it

    sources = Sources()
    original = weasy_tags._build_box_tree

    def build(box, parent, pdf, *args):
        for element in original(box, parent, pdf, *args):
            source = getattr(getattr(box, "_box", box), "element", None)
            if source is not None and getattr(element, "number", None) is not None:
                sources.elements.setdefault(element.number, source)
            yield element

    weasy_tags._build_box_tree = build
    try:
        yield sources
    finally:
        weasy_tags._build_box_tree = original


def repair(pdf, sources: Sources, structure_destinations: bool = False) -> None:
    root_reference = pdf.catalog.get("StructTreeRoot")
    if root_reference is None:
        return
    root = _get(pdf, root_reference)
    parent_tree = _get(pdf, root["ParentTree"])
    document = _get(pdf, root["K"][0])
    moved: dict[bytes, bytes] = {}  # reference of a merged-away element -> the one that remains
    _merge_children(pdf, document, sources, moved)
    if moved:
        _repoint_parent_tree(parent_tree, moved)
    for obj in list(pdf.objects):
        if _is_element(obj):
            if obj["S"] == "/LI":
                _wrap_list_item_body(pdf, obj)
            elif obj["S"] == "/L":
                _set_list_numbering(obj, sources)
            elif obj["S"] == "/Span" and _tag(pdf, _enclosing(pdf, obj)) in GROUPING:
                obj["S"] = "/Div"  # a block laid out from a span (an icon, a line to write on)
            _set_language(obj, sources)
    if structure_destinations:
        _point_destinations_at_elements(pdf, sources)


def _merge_children(pdf, element, sources: Sources, moved: dict[bytes, bytes]) -> None:
    """Merge runs of children made from the same HTML element, then do the same inside each."""
    kids = element.get("K")
    if not isinstance(kids, pydyf.Array):
        return
    merged: list = []
    for kid in _hoist_same_source(pdf, element, kids, sources, moved):
        previous = merged[-1] if merged else None
        if (isinstance(kid, bytes) and isinstance(previous, bytes)
                and _same_source(pdf, previous, kid, sources)):
            keeper = _get(pdf, previous)
            keeper["K"].extend(_take_children(pdf, _get(pdf, kid), keeper))
            moved[kid] = previous
            continue
        merged.append(kid)
    element["K"] = pydyf.Array(merged)
    for kid in merged:
        if isinstance(kid, bytes) and _is_element(_get(pdf, kid)):
            _merge_children(pdf, _get(pdf, kid), sources, moved)


def _hoist_same_source(pdf, element, kids, sources: Sources, moved: dict[bytes, bytes]) -> list:
    """The children, with a child made from the element's own HTML element (an anonymous block
    inside a paragraph becomes a P inside the P; a column of a multi-column box) replaced by
    its own children."""
    result: list = []
    for kid in kids:
        if isinstance(kid, bytes) and _same_source(pdf, element.reference, kid, sources):
            inner = _get(pdf, kid)
            lifted = _take_children(pdf, inner, element)
            result.extend(_hoist_same_source(pdf, element, lifted, sources, moved))
            moved[kid] = element.reference
        else:
            result.append(kid)
    return result


def _same_source(pdf, first: bytes, second: bytes, sources: Sources) -> bool:
    a, b = _get(pdf, first), _get(pdf, second)
    if not (_is_element(a) and _is_element(b)) or a["S"] != b["S"]:
        return False
    source = sources.elements.get(_number(first))
    return source is not None and source is sources.elements.get(_number(second))


def _take_children(pdf, source, destination) -> list:
    """Source's children, emptied out of it and re-parented to destination. A marked-content id
    on another page than the destination's becomes a marked-content reference with its page."""
    taken = []
    for kid in source["K"]:
        if isinstance(kid, int) and source.get("Pg") != destination.get("Pg"):
            reference = pydyf.Dictionary({"Type": "/MCR", "Pg": source["Pg"], "MCID": kid})
            pdf.add_object(reference)
            taken.append(reference.reference)
            continue
        if isinstance(kid, bytes):
            child = _get(pdf, kid)
            if isinstance(child, pydyf.Dictionary) and "P" in child:
                child["P"] = destination.reference
        taken.append(kid)
    source["K"] = pydyf.Array()
    return taken


def _repoint_parent_tree(parent_tree, moved: dict[bytes, bytes]) -> None:
    def final(reference: bytes) -> bytes:
        while reference in moved:
            reference = moved[reference]
        return reference

    nums = parent_tree["Nums"]
    for index in range(1, len(nums), 2):
        value = nums[index]
        if isinstance(value, pydyf.Array):
            nums[index] = pydyf.Array(final(v) if isinstance(v, bytes) else v for v in value)
        elif isinstance(value, bytes):
            nums[index] = final(value)


def _wrap_list_item_body(pdf, item) -> None:
    """A list item holds its label and one LBody; anything else goes into that LBody."""
    kids = item.get("K")
    if not isinstance(kids, pydyf.Array):
        return
    label = [k for k in kids if isinstance(k, bytes) and _tag(pdf, k) == "/Lbl"]
    bodies = [k for k in kids if isinstance(k, bytes) and _tag(pdf, k) == "/LBody"]
    loose = [k for k in kids if k not in label and k not in bodies]
    if not loose:
        return
    if any(isinstance(k, int) for k in loose):
        return  # text directly in the item: WeasyPrint never writes it this way; leave it
    body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(), "P": item.reference})
    if "Pg" in item:
        body["Pg"] = item["Pg"]
    pdf.add_object(body)
    for kid in kids:
        if kid in loose or kid in bodies:
            if kid in bodies:
                body["K"].extend(_get(pdf, kid)["K"])
                for grandchild in _get(pdf, kid)["K"]:
                    if isinstance(grandchild, bytes) and "P" in _get(pdf, grandchild):
                        _get(pdf, grandchild)["P"] = body.reference
            else:
                body["K"].append(kid)
                child = _get(pdf, kid)
                if isinstance(child, pydyf.Dictionary) and "P" in child:
                    child["P"] = body.reference
    item["K"] = pydyf.Array([*label, body.reference])


GROUPING = ("/Document", "/Part", "/Art", "/Sect")  # may not hold a Span in UA-2
TRANSPARENT = ("/NonStruct", "/Div")  # a validator looks through these to the element that holds them


def _enclosing(pdf, element) -> bytes | None:
    """The reference of the nearest ancestor that is not transparent."""
    parent = element.get("P")
    while _tag(pdf, parent) in TRANSPARENT:
        parent = _get(pdf, parent).get("P")
    return parent


def _set_list_numbering(element, sources: Sources) -> None:
    """What a list's labels are (PDF/UA-2 asks for it wherever a list has labels)."""
    source = sources.elements.get(getattr(element, "number", None))
    numbering = "/Decimal" if source is not None and str(source.tag).endswith("ol") else "/Disc"
    element["A"] = pydyf.Dictionary({"O": "/List", "ListNumbering": numbering})


def _point_destinations_at_elements(pdf, sources: Sources) -> None:
    """PDF/UA-2 (8.8): a link or bookmark inside the document names the structure element it
    leads to. Links lead to an element's id; bookmarks to their heading, found by its words.
    The page destination stays beside it (D), for readers that know only that."""
    by_id, by_heading = {}, {}
    for number, source in sources.elements.items():
        element = pdf.objects[number]
        if not _is_element(element) or not element["K"]:
            continue  # merged away
        if source.get("id"):
            by_id.setdefault(source.get("id"), element)
        if element["S"] in HEADINGS:
            by_heading.setdefault(" ".join("".join(source.itertext()).split()), element)
    for obj in list(pdf.objects):
        if not isinstance(obj, pydyf.Dictionary) or "Dest" not in obj:
            continue
        if obj.get("Subtype") == "/Link":
            target = by_id.get(_text(obj["Dest"]))
        elif "Title" in obj:
            target = by_heading.get(" ".join(_text(obj["Title"]).split()))
        else:
            continue
        if target is not None:
            obj["A"] = pydyf.Dictionary({"S": "/GoTo", "D": obj.pop("Dest"),
                                         "SD": pydyf.Array([target.reference, "/XYZ", "null", "null", 0])})


HEADINGS = tuple(f"/H{level}" for level in range(1, 7))


def _text(value) -> str:
    return value.string if isinstance(value, pydyf.String) else str(value)


def _set_language(element, sources: Sources) -> None:
    source = sources.elements.get(getattr(element, "number", None))
    lang = source.get("lang") if source is not None and hasattr(source, "get") else None
    if lang and source.tag != "html":
        element["Lang"] = pydyf.String(lang)


def _get(pdf, reference):
    return pdf.objects[_number(reference)] if isinstance(reference, bytes) else reference


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _is_element(obj) -> bool:
    return isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"


def _tag(pdf, reference: bytes) -> str | None:
    obj = _get(pdf, reference)
    return obj.get("S") if _is_element(obj) else None
