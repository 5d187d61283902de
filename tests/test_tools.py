"""External tools run bounded, and only on files that start as a PDF; a malformed PDF given to
preflight or validate is a message, never a traceback."""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from conftest import run
from ldnpub.base.errors import BuildError
from ldnpub.base.tools import Bounds, run_bounded

POSTSCRIPT_POLYGLOT = b"%!PS-Adobe-3.0\n(/tmp/owned) (w) file closefile\n%PDF-1.7\n"


def test_a_tool_that_does_not_finish_is_killed_with_its_children(tmp_path):
    marker = tmp_path / "child.pid"
    with pytest.raises(BuildError, match="did not finish in 1 s"):
        run_bounded(["sh", "-c", f"sleep 60 & echo $! > {marker}; wait"], Bounds(1, None, 10), "test")
    child = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        for _ in range(50):
            os.kill(child, 0)  # still there: the group was not killed
            import time
            time.sleep(0.1)


def test_a_tools_memory_is_limited_in_the_child():
    result = run_bounded([sys.executable, "-c", "bytearray(3 * 2**30)"], Bounds(60, 2**30, 60), "test")
    assert result.returncode != 0 and "MemoryError" in result.stderr


@pytest.mark.parametrize("command", ["preflight", "validate"])
def test_a_postscript_program_named_pdf_is_never_handed_to_a_tool(tmp_path, command):
    polyglot = tmp_path / "leaflet.pdf"
    polyglot.write_bytes(POSTSCRIPT_POLYGLOT)
    result = run(command, str(polyglot))
    assert result.exit_code == 1
    assert "not a PDF file: it does not start with %PDF-" in result.output
    assert not Path("/tmp/owned").exists()


def pdf_with(change) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    change(writer, page)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def _output_intents_not_an_array(writer, page):
    writer._root_object[NameObject("/OutputIntents")] = DictionaryObject()


def _bad_cm(writer, page):
    content = DecodedStreamObject()
    content.set_data(b"1 0 0 cm 0 0 m 10 10 l S")  # cm needs six numbers
    page[NameObject("/Contents")] = writer._add_object(content)


def _empty_descendant_fonts(writer, page):
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
                             NameObject("/BaseFont"): NameObject("/X"), NameObject("/DescendantFonts"): ArrayObject()})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf (x) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)


def _deep_forms(writer, page):
    inner = None
    for _ in range(3000):
        form = DecodedStreamObject()
        form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): ArrayObject([NumberObject(0)] * 4)})
        if inner is not None:
            form[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
                {NameObject("/X"): inner})})
        form.set_data(b"/X Do" if inner is not None else b"")
        inner = writer._add_object(form)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject({NameObject("/X"): inner})})
    content = DecodedStreamObject()
    content.set_data(b"/X Do")
    page[NameObject("/Contents")] = writer._add_object(content)


def _huge_page(writer, page):
    page[NameObject("/UserUnit")] = NumberObject(75000)


@pytest.mark.parametrize("change", [_output_intents_not_an_array, _bad_cm, _empty_descendant_fonts, _deep_forms,
                                    _huge_page])
def test_preflight_on_a_malformed_pdf_is_a_message(tmp_path, change):
    path = tmp_path / "bad.pdf"
    path.write_bytes(pdf_with(change))
    result = run("preflight", str(path))  # catch_exceptions=False: a traceback fails the test
    assert result.exit_code in (0, 1)
    assert str(path) in result.output


def test_a_huge_page_is_not_rasterised(tmp_path):
    path = tmp_path / "huge.pdf"
    path.write_bytes(pdf_with(_huge_page))
    result = run("preflight", str(path))
    assert result.exit_code == 1
    assert "larger than 2 m" in result.output and "heaviest ink" not in result.output


@pytest.mark.skipif(shutil.which("javac") is None, reason="needs Java 17 (javac): apt-get install default-jdk-headless")
def test_a_planted_class_file_is_compiled_over_not_run(tmp_path, monkeypatch):
    from ldnpub.pdf import verapdf

    if verapdf.missing():
        pytest.skip(f"veraPDF cannot run here: {verapdf.missing()}")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = verapdf._compiled_caller()
    genuine = (folder / "UaCheck.class").read_bytes()
    (folder / "UaCheck.class").write_bytes(b"\xca\xfe\xba\xbe planted")
    again = verapdf._compiled_caller()
    assert (again / "UaCheck.class").read_bytes() == genuine
