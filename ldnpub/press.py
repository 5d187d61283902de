"""Press files: a reading-order PDF -> a PDF/X-4 file for the print shop (Ghostscript, then pypdf).

The reading-order PDF is the accessible one: RGB, tagged, with links and bookmarks. A press wants
something else: CMYK only, against a stated output condition, black text in black ink alone,
every font embedded, a TrimBox on every page and nothing interactive. Three steps make it:

1. neutral RGB greys become DeviceGray, and near-black becomes pure black (pypdf), so that the
   next step prints them with black ink only (its DeviceGray-to-K rule) instead of four-colour grey;
2. Ghostscript's pdfwrite converts every colour to CMYK (Debian's `ghostscript` package);
3. pypdf adds what PDF/X-4 asks for and Ghostscript 10.0 does not write (it refuses -dPDFX=4):
   the output intent with the CMYK profile, the XMP `pdfxid:GTS_PDFXVersion`, /Trapped, the page
   boxes; and drops links, bookmarks and the structure tree. Dates and the file identifier come
   from the reading-order PDF, so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, ByteStringObject, ContentStream, DecodedStreamObject, DictionaryObject,
                           FloatObject, NameObject, NumberObject, RectangleObject, TextStringObject)

from .errors import BuildError, LdnpubError, Problem
from .tools import GHOSTSCRIPT_BOUNDS, require_pdf, run_bounded

PDFX_VERSION = "PDF/X-4"
GHOSTSCRIPT = "gs"
# The CMYK output condition: Ghostscript's own SWOP profile, from the same package.
CMYK_PROFILES = (Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),
                 Path("/usr/share/ghostscript/iccprofiles/default_cmyk.icc"))
SETUP_HINT = "install Ghostscript: apt-get install ghostscript (brew install ghostscript on macOS)"
NEAR_BLACK = 0.2  # a neutral grey this dark or darker prints as 100% K


def missing() -> str | None:
    """Why press files cannot be made here, or None."""
    if shutil.which(GHOSTSCRIPT) is None:
        return "Ghostscript (gs) is not installed"
    if cmyk_profile() is None:
        return f"Ghostscript's CMYK profile is not in {' or '.join(str(p.parent) for p in CMYK_PROFILES)}"
    return None


def require() -> None:
    """Raise a clear error, before anything is built, where press files cannot be made."""
    reason = missing()
    if reason:
        raise LdnpubError("no ghostscript", (Problem(None, None, None, f"--press: {reason}", SETUP_HINT),))


def cmyk_profile() -> Path | None:
    return next((path for path in CMYK_PROFILES if path.is_file()), None)


def press_pdf(data: bytes, identifier: str) -> bytes:
    """The PDF/X-4 press file made from a reading-order PDF's bytes."""
    source = PdfReader(io.BytesIO(data))
    converted = ghostscript(["-sDEVICE=pdfwrite", "-dCompatibilityLevel=1.6",
                             "-sColorConversionStrategy=CMYK", "-dProcessColorModel=/DeviceCMYK",
                             "-dDeviceGrayToK=true", "-dAutoRotatePages=/None"],
                            greys_as_gray(source), identifier)
    return finish_pdfx(PdfReader(io.BytesIO(converted)), source, identifier)


def ghostscript(arguments: list[str], data: bytes, identifier: str) -> bytes:
    """Run Ghostscript, bounded (tools.py), on PDF bytes; its output file's bytes."""
    require_pdf(data, identifier)
    with tempfile.TemporaryDirectory(prefix="ldnpub-gs-") as folder:
        source, output = Path(folder) / "in.pdf", Path(folder) / "out.pdf"
        source.write_bytes(data)
        command = [GHOSTSCRIPT, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", *arguments,
                   f"-sOutputFile={output}", str(source)]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
        run = run_bounded(command, GHOSTSCRIPT_BOUNDS, f"{identifier}: Ghostscript", env)
        if run.returncode != 0 or not output.is_file():
            raise BuildError("ghostscript failed", (Problem(None, None, None,
                             f"{identifier}: Ghostscript failed: {(run.stderr or run.stdout).strip()[:400]}"),))
        return output.read_bytes()


# --- 1. neutral greys as DeviceGray ----------------------------------------------------------------

def greys_as_gray(reader: PdfReader) -> bytes:
    """The PDF with every neutral RGB colour (r = g = b) set as DeviceGray, near-black as black."""
    writer = PdfWriter(clone_from=reader)
    seen: set[int] = set()
    for page in writer.pages:
        contents = page.get_contents()
        if contents is not None:
            page.replace_contents(_rewrite(ContentStream(contents, writer)))
        _forms(page.get("/Resources"), writer, seen)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _forms(resources, writer: PdfWriter, seen: set[int]) -> None:
    """Rewrite the colours of the form XObjects (pictograms, logos) in these resources."""
    resources = resources.get_object() if resources is not None else None
    if not resources or "/XObject" not in resources:
        return
    for reference in resources["/XObject"].get_object().values():
        form = reference.get_object()
        if form.get("/Subtype") != "/Form" or id(form) in seen:
            continue
        seen.add(id(form))
        stream = ContentStream(form, writer)
        form.set_data(_rewrite(stream).get_data())
        _forms(form.get("/Resources"), writer, seen)


def _rewrite(stream: ContentStream) -> ContentStream:
    operations = []
    for operands, operator in stream.operations:
        if operator in (b"rg", b"RG") and len(operands) == 3:
            red, green, blue = (float(v) for v in operands)
            if red == green == blue:
                level = 0.0 if red <= NEAR_BLACK else red
                operands, operator = [FloatObject(round(level, 4))], (b"g" if operator == b"rg" else b"G")
        operations.append((operands, operator))
    stream.operations = operations
    return stream


# --- 3. what PDF/X-4 asks for -----------------------------------------------------------------------

def finish_pdfx(converted: PdfReader, source: PdfReader, identifier: str) -> bytes:
    """The converted file as PDF/X-4, with the source's metadata and dates."""
    writer = PdfWriter(clone_from=converted)
    writer.pdf_header = "%PDF-1.6"
    root = writer._root_object
    for key in ("/Outlines", "/PageMode", "/Names", "/Dests", "/StructTreeRoot", "/MarkInfo", "/OpenAction"):
        root.pop(NameObject(key), None)
    _cmyk_transparency_groups(writer)
    for page in writer.pages:  # Ghostscript keeps the boxes it was given, moved to a 0 0 origin
        page.pop(NameObject("/Annots"), None)
        page.pop(NameObject("/StructParents"), None)
        for box in ("/TrimBox", "/BleedBox"):
            page.setdefault(NameObject(box), RectangleObject(page.mediabox))
    info = source.metadata or {}
    title = str(info.get("/Title", identifier))
    created = str(info.get("/CreationDate", "D:19700101000000Z"))
    writer.metadata = None
    writer.add_metadata({"/Title": title, "/Author": str(info.get("/Author", "")),
                         "/Creator": str(info.get("/Creator", "ldnpub")), "/Producer": "ldnpub with Ghostscript",
                         "/CreationDate": created, "/ModDate": str(info.get("/ModDate", created)),
                         "/GTS_PDFXVersion": PDFX_VERSION})
    writer._info.get_object()[NameObject("/Trapped")] = NameObject("/False")
    root[NameObject("/OutputIntents")] = ArrayObject([_output_intent(writer)])
    root[NameObject("/Metadata")] = writer._add_object(_xmp(title, created, identifier))
    digest = hashlib.sha256(f"{identifier} press".encode()).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


RGB_SPACES = ("/DeviceRGB", "/CalRGB")


def _cmyk_transparency_groups(writer: PdfWriter) -> None:
    """Blend transparency groups (the pictograms' forms, pages) in CMYK: Ghostscript converts
    the colours but leaves each group's /CS /DeviceRGB, and PDF/X-4 allows no device RGB anywhere
    (WeasyPrint #2723). An ICC-based RGB space counts too."""
    for reference in writer._objects:
        holder = reference.get_object() if reference is not None else None
        if not isinstance(holder, dict) or "/Group" not in holder:
            continue
        group = holder["/Group"].get_object()
        space = group.get("/CS")
        space = space.get_object() if space is not None else None
        if space in RGB_SPACES or (isinstance(space, list) and space and space[0] == "/ICCBased"
                                   and int(space[1].get_object().get("/N", 0)) == 3):
            group[NameObject("/CS")] = NameObject("/DeviceCMYK")


def _output_intent(writer: PdfWriter):
    profile_path = cmyk_profile()
    assert profile_path is not None  # require() ran before any press file is made
    profile = DecodedStreamObject()
    profile.set_data(profile_path.read_bytes())
    profile[NameObject("/N")] = NumberObject(4)
    profile = profile.flate_encode()
    name = "Artifex CMYK SWOP Profile (Ghostscript default_cmyk.icc)"
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFX"),
        NameObject("/OutputConditionIdentifier"): TextStringObject("Custom"),
        NameObject("/OutputCondition"): TextStringObject(name),
        NameObject("/Info"): TextStringObject(name),
        NameObject("/RegistryName"): TextStringObject(""),
        NameObject("/DestOutputProfile"): writer._add_object(profile),
    }))


def _xmp_date(pdf_date: str) -> str:
    """D:20261101000000Z -> 2026-11-01T00:00:00Z"""
    digits = pdf_date.removeprefix("D:")[:14].ljust(14, "0")
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:12]}:{digits[12:14]}Z"


def _xmp(title: str, created: str, identifier: str) -> DecodedStreamObject:
    date = _xmp_date(created)
    uuid = hashlib.sha256(identifier.encode()).hexdigest()
    uuid = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:32]}"
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>ldnpub</xmp:CreatorTool>
   <xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdf:Producer>ldnpub with Ghostscript</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    stream = DecodedStreamObject()
    stream.set_data(xml.encode())
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return stream
