"""Press files: a reading-order PDF -> a PDF/X-4 file for the print shop (LittleCMS, Ghostscript, pypdf).

The reading-order PDF is the accessible one: RGB, tagged, with links and bookmarks. A press wants
something else: CMYK only, separated for the shop's output condition (conditions.py), black text
and pictograms in black ink alone, every font embedded, a TrimBox on every page and nothing
interactive. Three steps make it:

1. every colour is separated for the condition's profile (pypdf, with LittleCMS through Pillow's
   ImageCms): neutral RGB greys become DeviceGray, near-black pure black, so that they print with
   black ink only; other colours and RGB images become DeviceCMYK through the profile (Ghostscript
   10.0's pdfwrite ignores -sOutputICCProfile and would separate for its own SWOP-like profile);
2. Ghostscript's pdfwrite converts whatever colour is left to CMYK and writes the file anew
   (Debian's `ghostscript` package), DeviceGray as black ink only;
3. pypdf adds what PDF/X-4 asks for and Ghostscript 10.0 does not write (it refuses -dPDFX=4):
   the output intent with the condition's profile, the XMP `pdfxid:GTS_PDFXVersion`, /Trapped, the
   page boxes, CMYK transparency groups; and drops links, bookmarks and the structure tree. Dates
   and the file identifier come from the reading-order PDF, so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, ByteStringObject, ContentStream, DecodedStreamObject, DictionaryObject,
                           FloatObject, NameObject, NumberObject, RectangleObject, TextStringObject)

from ldnpub.prepress.conditions import OutputCondition
from ldnpub.base.errors import BuildError, LdnpubError, Problem
from ldnpub.base.tools import GHOSTSCRIPT_BOUNDS, require_pdf, run_bounded

PDFX_VERSION = "PDF/X-4"
GHOSTSCRIPT = "gs"
SETUP_HINT = "install Ghostscript: apt-get install ghostscript (brew install ghostscript on macOS)"
NEAR_BLACK = 0.2  # a neutral grey this dark or darker prints as 100% K


def missing() -> str | None:
    """Why press files cannot be made here, or None."""
    if shutil.which(GHOSTSCRIPT) is None:
        return "Ghostscript (gs) is not installed"
    return None


def require() -> None:
    """Raise a clear error, before anything is built, where press files cannot be made."""
    reason = missing()
    if reason:
        raise LdnpubError("no ghostscript", (Problem(None, None, None, f"--press: {reason}", SETUP_HINT),))


def press_pdf(data: bytes, identifier: str, condition: OutputCondition) -> bytes:
    """The PDF/X-4 press file made from a reading-order PDF's bytes, separated for `condition`."""
    source = PdfReader(io.BytesIO(data))
    converted = ghostscript(["-sDEVICE=pdfwrite", "-dCompatibilityLevel=1.6",
                             "-sColorConversionStrategy=CMYK", "-dProcessColorModel=/DeviceCMYK",
                             "-dDeviceGrayToK=true", "-dAutoRotatePages=/None"],
                            separated(source, condition.profile), identifier)
    return finish_pdfx(PdfReader(io.BytesIO(converted)), source, identifier, condition)


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


# --- 1. colours separated for the condition ------------------------------------------------------

def separated(reader: PdfReader, profile: bytes) -> bytes:
    """The PDF with every RGB colour and image set in the press's inks: neutral greys (r = g = b)
    as DeviceGray, near-black as black, other colours and images as DeviceCMYK through `profile`."""
    writer = PdfWriter(clone_from=reader)
    separate = _Separator(profile)
    seen: set[int] = set()
    for page in writer.pages:
        contents = page.get_contents()
        if contents is not None:
            page.replace_contents(_rewrite(ContentStream(contents, writer), separate))
        _xobjects(page.get("/Resources"), writer, separate, seen)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def greys_as_gray(reader: PdfReader) -> bytes:
    """Only the first half of the separation: neutral greys as DeviceGray (what a test looks at)."""
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        contents = page.get_contents()
        if contents is not None:
            page.replace_contents(_rewrite(ContentStream(contents, writer), None))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Separator:
    """sRGB -> the profile's CMYK, relative colorimetric with black-point compensation, as a
    prepress tool converts: one LittleCMS transform for the colours and the images of a file."""

    def __init__(self, profile: bytes) -> None:
        from PIL import ImageCms

        self._cms = ImageCms
        self._transform = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(io.BytesIO(profile)), "RGB", "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        self.colour = lru_cache(maxsize=4096)(self._colour)

    def _colour(self, red: float, green: float, blue: float) -> tuple[float, ...]:
        from PIL import Image

        pixel = Image.new("RGB", (1, 1), tuple(round(min(max(v, 0.0), 1.0) * 255) for v in (red, green, blue)))
        return tuple(round(v / 255, 4) for v in self._cms.applyTransform(pixel, self._transform).getpixel((0, 0)))

    def image(self, picture):
        return self._cms.applyTransform(picture.convert("RGB"), self._transform)


def _xobjects(resources, writer: PdfWriter, separate: _Separator, seen: set[int]) -> None:
    """Separate the form XObjects (pictograms, logos) and RGB images in these resources."""
    resources = resources.get_object() if resources is not None else None
    if not resources or "/XObject" not in resources:
        return
    for reference in resources["/XObject"].get_object().values():
        xobject = reference.get_object()
        if id(xobject) in seen:
            continue
        seen.add(id(xobject))
        if xobject.get("/Subtype") == "/Form":
            xobject.set_data(_rewrite(ContentStream(xobject, writer), separate).get_data())
            _xobjects(xobject.get("/Resources"), writer, separate, seen)
        elif xobject.get("/Subtype") == "/Image" and xobject.get("/ColorSpace") == "/DeviceRGB":
            _separate_image(xobject, separate)


def _separate_image(image, separate: _Separator) -> None:
    """An 8-bit RGB image as CMYK, losslessly compressed; its soft mask (transparency) stays."""
    picture = image.decode_as_image()
    cmyk = separate.image(picture)
    for key in ("/DecodeParms", "/Decode"):
        image.pop(NameObject(key), None)
    image[NameObject("/Filter")] = NameObject("/FlateDecode")
    image[NameObject("/ColorSpace")] = NameObject("/DeviceCMYK")
    image[NameObject("/BitsPerComponent")] = NumberObject(8)
    image.set_data(cmyk.tobytes())  # pypdf compresses it again with the stream's FlateDecode


def _rewrite(stream: ContentStream, separate: _Separator | None) -> ContentStream:
    operations = []
    for operands, operator in stream.operations:
        if operator in (b"rg", b"RG") and len(operands) == 3:
            red, green, blue = (float(v) for v in operands)
            fill = operator == b"rg"
            if red == green == blue:
                level = 0.0 if red <= NEAR_BLACK else red
                operands, operator = [FloatObject(round(level, 4))], (b"g" if fill else b"G")
            elif separate is not None:
                operands = [FloatObject(v) for v in separate.colour(red, green, blue)]
                operator = b"k" if fill else b"K"
        operations.append((operands, operator))
    stream.operations = operations
    return stream


# --- 3. what PDF/X-4 asks for -----------------------------------------------------------------------

def finish_pdfx(converted: PdfReader, source: PdfReader, identifier: str, condition: OutputCondition) -> bytes:
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
    title = str((converted.metadata or {}).get("/Title") or info.get("/Title", identifier))
    created = str(info.get("/CreationDate", "D:19700101000000Z"))
    writer.metadata = None
    writer.add_metadata({"/Title": title, "/Author": str(info.get("/Author", "")),
                         "/Creator": str(info.get("/Creator", "ldnpub")), "/Producer": "ldnpub with Ghostscript",
                         "/CreationDate": created, "/ModDate": str(info.get("/ModDate", created)),
                         "/GTS_PDFXVersion": PDFX_VERSION})
    writer._info.get_object()[NameObject("/Trapped")] = NameObject("/False")
    root[NameObject("/OutputIntents")] = ArrayObject([_output_intent(writer, condition)])
    root[NameObject("/Metadata")] = writer._add_object(_xmp(title, created, identifier))
    digest = hashlib.sha256(f"{identifier} press".encode()).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def imposed_pdfx(imposed: bytes, press_file: bytes, identifier: str, condition: OutputCondition) -> bytes:
    """Spreads imposed from a press file, as a PDF/X-4 file of their own: the imposition keeps
    the press file's CMYK content and each sheet's TrimBox and BleedBox, and this adds again the
    output intent, the XMP, /Trapped and the file identifier that imposing leaves behind."""
    return finish_pdfx(PdfReader(io.BytesIO(imposed)), PdfReader(io.BytesIO(press_file)), identifier, condition)


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


def _output_intent(writer: PdfWriter, condition: OutputCondition):
    profile = DecodedStreamObject()
    profile.set_data(condition.profile)
    profile[NameObject("/N")] = NumberObject(4)
    profile = profile.flate_encode()
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFX"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(condition.identifier),
        NameObject("/OutputCondition"): TextStringObject(condition.description),
        NameObject("/Info"): TextStringObject(condition.description),
        NameObject("/RegistryName"): TextStringObject(condition.registry),
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
