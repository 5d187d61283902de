"""Preflight judged on a corpus: one bad file per rule, each made from a good press file so that
only that rule can catch it, the false alarms a prepress check raised, and the good files (every
press file a build makes, in test_press.py and test_catalog.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, BooleanObject, DecodedStreamObject, DictionaryObject, FloatObject,
                           NameObject, NumberObject, RectangleObject)

from conftest import FIXTURES, run
from ldnpub.prepress import press
from ldnpub.prepress.preflight import RULES, preflight

pytestmark = pytest.mark.skipif(press.missing() is not None,
                                reason=f"press files cannot be made here: {press.missing()} ({press.SETUP_HINT})")
SRGB = Path("/usr/share/color/icc/ghostscript/srgb.icc")


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """The mini project's leaflet as a press file: bleed, crop marks, FOGRA39."""
    project = tmp_path_factory.mktemp("preflight") / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    result = run("-C", str(project), "build", "sheet", "--bleed", "--crop-marks", "--press", "-j", "1",
                 "--out", str(project / "dist"))
    assert result.exit_code == 0, result.output
    return project / "dist" / "sheet_a4_bleed-3mm_crop_press.pdf"


def _stream(writer: PdfWriter, data: bytes, entries: dict | None = None):
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update({NameObject(k): v for k, v in (entries or {}).items()})
    return writer._add_object(stream)


def _page_with(writer: PdfWriter, content: str, **resources) -> None:
    """Page 1 drawing only `content`, where {x} {y} is the trim's centre, {left} its left edge and
    {near} 1.5 mm inside it; resources added by kind."""
    page = writer.pages[0]
    trim = page.trimbox
    x, y = float(trim.left + trim.width / 2), float(trim.bottom + trim.height / 2)
    near = float(trim.left) + 1.5 * 72 / 25.4  # 1.5 mm inside the trim
    page[NameObject("/Contents")] = _stream(writer, content.format(x=x, y=y, left=float(trim.left),
                                                                    near=near).encode())
    page_resources = page[NameObject("/Resources")].get_object()
    for kind, entries in resources.items():
        page_resources[NameObject("/" + kind)] = DictionaryObject({NameObject("/" + k): v for k, v in entries.items()})


def _rgb_shading(writer: PdfWriter):
    return writer._add_object(DictionaryObject({
        NameObject("/ShadingType"): NumberObject(2), NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
        NameObject("/Coords"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(0)]),
        NameObject("/Function"): DictionaryObject({
            NameObject("/FunctionType"): NumberObject(2), NameObject("/Domain"): ArrayObject([NumberObject(0), NumberObject(1)]),
            NameObject("/C0"): ArrayObject([FloatObject(1), FloatObject(0), FloatObject(0)]),
            NameObject("/C1"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(1)]),
            NameObject("/N"): NumberObject(1)})}))


def _image(writer: PdfWriter, space: str, pixels: int):
    channels = {"/DeviceRGB": 3, "/DeviceGray": 1}[space]
    return _stream(writer, b"\x80" * channels * pixels * pixels, {
        "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image"), "/Width": NumberObject(pixels),
        "/Height": NumberObject(pixels), "/ColorSpace": NameObject(space), "/BitsPerComponent": NumberObject(8)})


def _form(writer: PdfWriter, content: bytes, group_space: str):
    return _stream(writer, content, {
        "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"),
        "/BBox": ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(100)]),
        "/Group": DictionaryObject({NameObject("/S"): NameObject("/Transparency"),
                                    NameObject("/CS"): NameObject(group_space)})})


def _first_text(writer: PdfWriter) -> str:
    """A font name and string the page really draws (an embedded font): 'Tf ... Tj' to reuse."""
    from pypdf.generic import ContentStream

    page = writer.pages[0]
    font = None
    for operands, operator in ContentStream(page.get_contents(), writer).operations:
        if operator == b"Tf":
            font = operands
        elif operator in (b"Tj", b"TJ") and font is not None:
            shown = operands[0]
            text = shown if operator == b"Tj" else next(part for part in shown if not isinstance(part, (int, float)))
            return f"{font[0]} 12 Tf <{bytes(text.original_bytes).hex()}> Tj"
    raise AssertionError("the page shows no text")


def _set_header(writer: PdfWriter) -> None:
    writer.pdf_header = "%PDF-1.7"


def _drop_id(writer: PdfWriter) -> None:
    writer._ID = None


def _srgb_intent(writer: PdfWriter) -> None:
    intent = writer._root_object["/OutputIntents"][0].get_object()
    intent[NameObject("/DestOutputProfile")] = _stream(writer, SRGB.read_bytes(), {"/N": NumberObject(3)})


def _link(writer: PdfWriter) -> None:
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): RectangleObject([100, 100, 200, 120])}))])


def _trim_beyond_bleed(writer: PdfWriter) -> None:
    page = writer.pages[0]
    page.trimbox = RectangleObject([float(v) for v in page.bleedbox])
    page.trimbox = RectangleObject([float(page.bleedbox.left) - 5, *[float(v) for v in list(page.bleedbox)[1:]]])


def _no_bleed(writer: PdfWriter) -> None:
    page = writer.pages[0]
    page.bleedbox = RectangleObject([float(v) for v in page.trimbox])
    _page_with(writer, "0 0 0 1 k {left} {y} 50 50 re f")


# rule -> (what the bad file has, how it is made from the good one)
CORPUS = {
    "no-output-intent": ("output-intent", lambda w: w._root_object.pop(NameObject("/OutputIntents"))),
    "srgb-output-intent": ("output-intent", _srgb_intent),
    "no-pdfx-version": ("pdfx-version", lambda w: w._root_object.pop(NameObject("/Metadata"))),
    "pdf-1.7": ("pdf-version", _set_header),
    "catalog-version-2.0": ("pdf-version", lambda w: w._root_object.__setitem__(NameObject("/Version"), NameObject("/2.0"))),
    "no-trapped": ("trapped", lambda w: w._info.get_object().pop(NameObject("/Trapped"))),
    "no-id": ("file-id", _drop_id),
    "no-trim-box": ("trim-box", lambda w: w.pages[0].pop(NameObject("/TrimBox"))),
    "trim-beyond-bleed": ("trim-box", _trim_beyond_bleed),
    "rgb-rg": ("rgb", lambda w: _page_with(w, "1 0 0 rg {x} {y} 20 20 re f")),
    "rgb-stroke": ("rgb", lambda w: _page_with(w, "1 w 0 0 1 RG {x} {y} m 300 300 l S")),
    "rgb-cs-sc": ("rgb", lambda w: _page_with(w, "/DeviceRGB cs 1 0 0 sc {x} {y} 20 20 re f")),
    "rgb-icc-cs": ("rgb", lambda w: _page_with(w, "/CS0 cs 1 0 0 scn {x} {y} 20 20 re f", ColorSpace={
        "CS0": ArrayObject([NameObject("/ICCBased"), _stream(w, SRGB.read_bytes(), {"/N": NumberObject(3)})])})),
    "rgb-pattern": ("rgb", lambda w: _page_with(w, "/Pattern cs /P0 scn {x} {y} 20 20 re f", Pattern={
        "P0": w._add_object(DictionaryObject({NameObject("/PatternType"): NumberObject(2),
                                              NameObject("/Shading"): _rgb_shading(w)}))})),
    "rgb-shading": ("rgb", lambda w: _page_with(w, "q {x} {y} 20 20 re W n /Sh0 sh Q", Shading={"Sh0": _rgb_shading(w)})),
    "rgb-inline-image": ("rgb", lambda w: _page_with(
        w, "q 1 0 0 1 {x} {y} cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \x80\x80\x80 EI Q")),
    "rgb-image": ("rgb", lambda w: _page_with(w, "q 72 0 0 72 {x} {y} cm /Im0 Do Q",
                                              XObject={"Im0": _image(w, "/DeviceRGB", 400)})),
    "rgb-page-group": ("rgb", lambda w: w.pages[0].__setitem__(NameObject("/Group"), DictionaryObject({
        NameObject("/S"): NameObject("/Transparency"), NameObject("/CS"): NameObject("/DeviceRGB")}))),
    "rgb-form-group": ("rgb", lambda w: _page_with(w, "q 1 0 0 1 {x} {y} cm /Fm0 Do Q", XObject={
        "Fm0": _form(w, b"0 0 0 1 k 0 0 10 10 re f", "/DeviceRGB")})),
    "font-not-embedded": ("font-embedded", lambda w: _page_with(w, "BT /Fx 12 Tf {x} {y} Td (Hi) Tj ET", Font={
        "Fx": DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                NameObject("/BaseFont"): NameObject("/Helvetica")})})),
    "72-dpi-image": ("image-resolution", lambda w: _page_with(w, "q 72 0 0 72 {x} {y} cm /Im0 Do Q",
                                                              XObject={"Im0": _image(w, "/DeviceGray", 72)})),
    "hairline": ("hairline", lambda w: _page_with(w, "0.1 w 0 G {x} {y} m 300 300 l S")),
    "zero-width-line": ("hairline", lambda w: _page_with(w, "0 w 0 G {x} {y} m 300 300 l S")),
    "hairline-by-extgstate": ("hairline", lambda w: _page_with(w, "/GS9 gs 0 G {x} {y} m 300 300 l S", ExtGState={
        "GS9": DictionaryObject({NameObject("/LW"): FloatObject(0.1)})})),
    "hairline-as-thin-fill": ("hairline", lambda w: _page_with(w, "0 g {x} {y} 100 0.1 re f")),
    "white-overprint": ("white-overprint", lambda w: _page_with(w, "/GS9 gs 0 0 0 0 k {x} {y} 20 20 re f", ExtGState={
        "GS9": DictionaryObject({NameObject("/op"): BooleanObject(True), NameObject("/OP"): BooleanObject(True),
                                 NameObject("/OPM"): NumberObject(1)})})),
    "link-annotation": ("annotation", _link),
    "400-percent-ink": ("total-ink", lambda w: _page_with(w, "1 1 1 1 k {x} {y} 20 20 re f")),
    "text-at-the-trim": ("safe-zone", lambda w: _page_with(w, "0 g BT 1 0 0 1 {near} {y} Tm " + _first_text(w) + " ET")),
    "artwork-at-the-trim-without-bleed": ("bleed", _no_bleed),
    "artwork-stopping-at-the-trim": ("bleed", lambda w: _page_with(w, "0 0 0 1 k {left} {y} 50 50 re f")),
}


def _made(good: Path, tmp_path: Path, change) -> Path:
    writer = PdfWriter(clone_from=PdfReader(good))
    change(writer)
    path = tmp_path / "bad.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_the_good_file_is_ready_for_press(good):
    report = preflight(good)
    assert report.findings == []
    assert report.output_condition == "FOGRA39" and report.max_ink == 330


@pytest.mark.parametrize("case", list(CORPUS))
def test_each_bad_file_is_caught_by_its_rule_alone(good, tmp_path, case):
    rule, change = CORPUS[case]
    report = preflight(_made(good, tmp_path, change))
    assert {finding.rule for finding in report.errors} == {rule}, [str(f) for f in report.findings]
    assert all(finding.message for finding in report.errors)


def test_every_rule_has_a_bad_file():
    assert {rule for rule, _ in CORPUS.values()} >= set(RULES) - {"text-size", "page-size"}


FALSE_ALARMS = {
    "an ArtBox in place of the TrimBox": lambda w: (w.pages[0].__setitem__(NameObject("/ArtBox"), w.pages[0].trimbox),
                                                    w.pages[0].pop(NameObject("/TrimBox"))),
    "an ArtBox beside the TrimBox": lambda w: w.pages[0].__setitem__(NameObject("/ArtBox"), w.pages[0].trimbox),
    "an RGB colour space no content uses": lambda w: w.pages[0]["/Resources"].get_object().__setitem__(
        NameObject("/ColorSpace"), DictionaryObject({NameObject("/CSx"): NameObject("/DeviceRGB")})),
    "320% ink where FOGRA39 allows 330%": lambda w: _page_with(w, "0.9 0.8 0.7 0.8 k {x} {y} 20 20 re f"),
    "a 200 dpi image (a warning)": lambda w: _page_with(w, "q 72 0 0 72 {x} {y} cm /Im0 Do Q",
                                                        XObject={"Im0": _image(w, "/DeviceGray", 200)}),
}


@pytest.mark.parametrize("case", list(FALSE_ALARMS))
def test_no_false_alarm(good, tmp_path, case):
    report = preflight(_made(good, tmp_path, FALSE_ALARMS[case]))
    assert report.errors == [], [str(f) for f in report.errors]


def test_the_ink_limit_follows_the_condition_or_the_option(good, tmp_path):
    path = _made(good, tmp_path, FALSE_ALARMS["320% ink where FOGRA39 allows 330%"])
    assert preflight(path, max_ink=300).errors[0].rule == "total-ink"
    result = run("preflight", "--max-ink", "300", "--json", str(path))
    assert result.exit_code == 1
    [report] = json.loads(result.output)
    assert report["ready_for_press"] is False and report["max_ink"] == 300
    assert [f["rule"] for f in report["findings"]] == ["total-ink"]
    assert report["findings"][0]["page"] == 1


def test_the_verdict_is_ready_only_without_errors(good, tmp_path):
    assert "ready for press" in run("preflight", str(good)).output
    bad = run("preflight", str(_made(good, tmp_path, CORPUS["rgb-rg"][1])))
    assert bad.exit_code == 1 and "problems" in bad.output and "ready for press" not in bad.output
