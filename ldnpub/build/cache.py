"""Caching: what a build can skip, and what it need not render again.

A target's fingerprint hashes what decides its PDF before rendering: the HTML (which holds the
content, the layout and the brand), the CSS given as text, the stylesheets' paths, the options
that change the PDF and ldnpub's version, with the folders the PDF stage may read written as
placeholders, so a second checkout of a project has the same fingerprints. Rendering then
records every file WeasyPrint actually read (stylesheets and what they @import, fonts, images)
with its sha256, as Lektor records dependencies.

An output is left as it is when its fingerprint matches the manifest's record, its bytes match,
and every recorded input is unchanged. Otherwise the user's render cache is asked: a PDF
rendered before from the same fingerprint and the same input files, by any build into any
folder, is copied instead of rendered. And a build with nothing to do is known from the stamp
of the last one before the project is even loaded (see build_stamp). Only this module knows how.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ldnpub._version import __version__
from ldnpub.base.errors import LdnpubError, Problem, UsageError
from ldnpub.base.userdata import cache_folder, seal

if TYPE_CHECKING:  # the no-op check imports this module: it must stay light
    from ldnpub.pdf.finish import PdfResult, PrintSpec
    from ldnpub.render.html import HtmlPage
CACHE_SIZE_ENV = "LDNPUB_CACHE_SIZE"  # its limit, e.g. 500MB or 2GB
DEFAULT_CACHE_SIZE = 500 * 2**20


def fingerprint(page: HtmlPage, spec: PrintSpec) -> str:
    places = _placeholders(spec.allowed_roots)
    digest = hashlib.sha256()
    # Every field of the spec but the folders it may read (whose files are the inputs): a field
    # added to PrintSpec changes the fingerprint without being listed here.
    printed = [str(getattr(spec, f.name)) for f in dataclasses.fields(spec) if f.name != "allowed_roots"]
    for part in (__version__, *printed, page.base_url, page.html, page.extra_css, page.final_css,
                 *(str(path) for path in page.stylesheets), *(str(path) for path in page.fitting_stylesheets)):
        digest.update(_portable(part, places).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _placeholders(roots: tuple[Path, ...]) -> list[tuple[str, str]]:
    """Each way a root's path can appear in HTML or CSS, with its placeholder, longest first
    (a brand's folder may lie inside the project's)."""
    places = {}
    for index, root in enumerate(roots):
        for path in (root, root.resolve()):
            if path.is_absolute():
                places[path.as_uri()] = places[str(path)] = f"\0root{index}\0"
    return sorted(places.items(), key=lambda item: -len(item[0]))


def _portable(text: str, places: list[tuple[str, str]]) -> str:
    for path, placeholder in places:
        text = text.replace(path, placeholder)
    return text
MANIFEST_SEALED = ("path", "sha256", "fingerprint", "inputs", "pages", "imposed", "press")


def sealed(entry: dict) -> dict:
    """A manifest entry with its seal."""
    return {**entry, "seal": seal({name: entry.get(name) for name in MANIFEST_SEALED})}


def _is_sealed(entry: dict, names: tuple[str, ...] = MANIFEST_SEALED) -> bool:
    found = entry.get("seal")
    return isinstance(found, str) and hmac.compare_digest(found, seal({name: entry.get(name) for name in names}))


def previous_outputs(manifest_path: Path) -> dict[str, dict]:
    """The manifest's entries by path, or nothing when there is no readable manifest. Only
    entries this user's ldnpub sealed count: a foreign or hand-edited entry is dropped, so a
    manifest never vouches for a file ldnpub did not write."""
    try:
        files = json.loads(_read_manifest(manifest_path))["files"]
        return {entry["path"]: entry for entry in files
                if isinstance(entry, dict) and isinstance(entry.get("path"), str) and _plain_relative(entry["path"])
                and _is_sealed(entry)}
    except (OSError, ValueError, KeyError, TypeError, LdnpubError):
        return {}


MAX_MANIFEST_BYTES = 64 * 2**20


def _read_manifest(path: Path) -> bytes:
    """A manifest's bytes: a regular file, bounded (a FIFO or /dev/zero in its place is refused)."""
    from ldnpub.base.files import read_file

    return read_file(path, MAX_MANIFEST_BYTES)


def set_aside_unreadable(manifest_path: Path) -> Path | None:
    """A manifest.json that is not one (cut short, hand-edited into bad JSON) is renamed
    manifest.json.unreadable (-2, -3, ...), not silently replaced; its new name, or None."""
    if not os.path.lexists(manifest_path):
        return None
    try:
        data = json.loads(_read_manifest(manifest_path))
        if isinstance(data, dict) and isinstance(data.get("files"), list):
            return None
    except (OSError, ValueError, LdnpubError):
        pass
    for number in range(1, 1000):
        target = manifest_path.with_name(manifest_path.name + ".unreadable" + (f"-{number}" if number > 1 else ""))
        if not target.exists():
            manifest_path.rename(target)
            return target
    return None


def _plain_relative(path: str) -> bool:
    """A file name inside the output folder: a manifest cannot point the build at ../../etc."""
    return bool(path) and not Path(path).is_absolute() and ".." not in Path(path).parts


def unchanged(entry: dict | None, out_dir: Path, fingerprint_now: str, roots: tuple[Path, ...]) -> bool:
    """The recorded output exists as recorded, from the same inputs: the same fingerprint, and
    every file WeasyPrint read for it last time (a stylesheet's @import, a url() in CSS, a font)
    unchanged."""
    if not entry or entry.get("fingerprint") != fingerprint_now:
        return False
    path = out_dir / entry["path"]
    if not (path.is_file() and _sha256(path) == entry.get("sha256")):
        return False
    return inputs_unchanged(entry.get("inputs"), roots)


def inputs_unchanged(inputs: object, roots: tuple[Path, ...]) -> bool:
    """The recorded inputs are all still as recorded. The manifest is not trusted: a path it
    names outside the project's folders is never read, and counts as changed."""
    if not isinstance(inputs, dict):
        return False
    resolved = [root.resolve() for root in roots]
    for name, digest in inputs.items():
        path = Path(name)
        if not (path.is_absolute() and any(path.resolve().is_relative_to(root) for root in resolved)
                and path.is_file() and _sha256(path) == digest):
            return False
    return True


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True, slots=True)
class CacheInfo:
    folder: Path | None  # None: the cache is off
    files: int
    size: int  # bytes
    limit: int


class RenderCache:
    """Rendered PDFs by fingerprint, in the user's cache folder (platformdirs), shared by every
    build of every project; the least recently used are removed beyond the size limit.

    An entry is KEY.pdf with KEY.json beside it (pages, and the inputs as root index, path
    within the root and sha256); it is used only when each input still has that sha256.
    """

    def __init__(self, folder: Path | None, limit: int = DEFAULT_CACHE_SIZE):
        self.folder, self.limit = folder, limit
        self._size: int | None = None  # bytes in the folder, counted at the first put

    @classmethod
    def default(cls) -> RenderCache:
        """The folder and limit set by LDNPUB_CACHE_DIR and LDNPUB_CACHE_SIZE, else the user's."""
        folder = cache_folder()
        return cls(folder, _size(os.environ.get(CACHE_SIZE_ENV, ""))) if folder else cls(None)

    def get(self, key: str, roots: tuple[Path, ...]) -> PdfResult | None:
        if self.folder is None:
            return None
        pdf, record = self._paths(key)
        try:
            meta = json.loads(record.read_text(encoding="utf-8"))
            if not _is_sealed({**meta, "key": key}, RECORD_SEALED):  # planted, or another user's
                return None
            inputs = _absolute(meta["inputs"], roots)
            if inputs is None or not inputs_unchanged(dict(inputs), roots):
                return None
            data = pdf.read_bytes()
            if hashlib.sha256(data).hexdigest() != meta["sha256"]:
                return None
            os.utime(record)  # recently used
            from ldnpub.pdf.finish import PdfResult

            return PdfResult(data, int(meta["pages"]), inputs)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, result: PdfResult, roots: tuple[Path, ...]) -> None:
        """Keep a rendered PDF; a cache that cannot be written never fails the build."""
        if self.folder is None:
            return
        inputs = _relative(result.inputs, roots)
        if inputs is None:
            return
        pdf, record = self._paths(key)
        meta = {"key": key, "pages": result.pages, "sha256": hashlib.sha256(result.data).hexdigest(), "inputs": inputs}
        meta["seal"] = seal({name: meta[name] for name in RECORD_SEALED})
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            pdf.parent.mkdir(exist_ok=True)
            _replace(pdf, result.data)
            _replace(record, json.dumps(meta).encode())  # last: an entry without it is not used
            if self._size is None:
                self._size = sum(size for _, size, _ in self._entries())
            else:
                self._size += pdf.stat().st_size + record.stat().st_size
            if self._size > self.limit:  # counted afresh only then: a put costs no folder scan
                self._evict()
        except OSError:
            pass  # a full or read-only cache folder: the build goes on without it

    def info(self) -> CacheInfo:
        entries = self._entries()
        return CacheInfo(self.folder, len(entries), sum(size for _, size, _ in entries), self.limit)

    def clear(self) -> int:
        """Remove every entry; returns the bytes freed."""
        entries = self._entries()
        for record, _, pdf in entries:
            for path in (record, pdf):
                path.unlink(missing_ok=True)
        return sum(size for _, size, _ in entries)

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.folder / key[:2]
        return folder / f"{key}.pdf", folder / f"{key}.json"

    def _entries(self) -> list[tuple[Path, int, Path]]:
        """(record, size of both files, pdf) of each entry, least recently used first. Links are
        never followed: clearing the cache cannot delete files outside it."""
        if self.folder is None or not self.folder.is_dir():
            return []
        found = []
        for shard in _real_entries(self.folder, directories=True):
            if len(shard.name) != 2:
                continue
            for record in _real_entries(shard, directories=False):
                pdf = record.with_suffix(".pdf")
                if record.suffix != ".json" or pdf.is_symlink():
                    continue
                try:
                    stat = record.stat()
                    found.append((stat.st_mtime, record, stat.st_size + pdf.stat().st_size, pdf))
                except OSError:
                    continue
        return [(record, size, pdf) for _, record, size, pdf in sorted(found)]

    def _evict(self) -> None:
        entries = self._entries()
        total = sum(size for _, size, _ in entries)
        for record, size, pdf in entries:
            if total <= self.limit:
                break
            record.unlink(missing_ok=True)
            pdf.unlink(missing_ok=True)
            total -= size
        self._size = total


RECORD_SEALED = ("key", "pages", "sha256", "inputs")


def _real_entries(folder: Path, directories: bool) -> list[Path]:
    """The folders (or files) directly in a folder, symbolic links left out."""
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries if not e.is_symlink()
                    and (e.is_dir(follow_symlinks=False) if directories else e.is_file(follow_symlinks=False))]
    except OSError:
        return []


def _size(text: str) -> int:
    """500MB, 2GB, 1.5 GB or a number of megabytes; the default when unset."""
    if not text.strip():
        return DEFAULT_CACHE_SIZE
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(MB|GB|M|G)?\s*", text, re.IGNORECASE)
    if not match:
        raise UsageError("bad cache size", (Problem(None, None, None,
                         f"{CACHE_SIZE_ENV}: expected a size such as 500MB or 2GB, found {text!r}"),))
    unit = 2**30 if (match.group(2) or "M").upper().startswith("G") else 2**20
    return int(float(match.group(1)) * unit)


def _relative(inputs: tuple[tuple[str, str], ...], roots: tuple[Path, ...]) -> list | None:
    """Inputs as [root index, path within it, sha256]; None when one lies outside every root."""
    resolved = [root.resolve() for root in roots]
    portable = []
    for name, digest in inputs:
        path = Path(name)
        index = next((i for i, root in enumerate(resolved) if path.is_relative_to(root)), None)
        if index is None:
            return None
        portable.append([index, path.relative_to(resolved[index]).as_posix(), digest])
    return portable


def _absolute(inputs: list, roots: tuple[Path, ...]) -> tuple[tuple[str, str], ...] | None:
    resolved = [root.resolve() for root in roots]
    absolute = []
    for index, name, digest in inputs:
        if not (isinstance(index, int) and 0 <= index < len(resolved) and _plain_relative(name)):
            return None
        absolute.append((str(resolved[index] / name), digest))
    return tuple(sorted(absolute))


def _replace(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# A no-op build in a blink. Checking that nothing changed the usual way loads the project,
# renders every document's HTML and hashes every input: most of a second. So a build that
# succeeded leaves a stamp in the render cache's folder, keyed by what decides a build before
# the project is loaded (ldnpub's version, the command's options, the project's folder, today's
# date, and the size and time of every file under the content folders of the search path and of
# ldnpub.yaml). It records the files the build read from elsewhere (fonts, a brand's files) and
# the files it wrote, with their sizes and times. The same command with the same stamp, those
# files as they were and the outputs untouched is a no-op, known without importing the rest.
STAMP_FOLDER = "stamps"
MAX_STAMPS = 200


@dataclass(frozen=True, slots=True)
class NoOp:
    """What an unchanged build would have reported."""

    out_dir: str
    targets: tuple[str, ...]  # the output name of each target, in build order
    unchanged: int  # files, imposed and press ones included


def build_stamp(project_dir: Path, command: str, today: str) -> str | None:
    """The stamp's key, or None when the render cache is off."""
    from ldnpub.content.search import CONTENT_FOLDERS, SearchPath

    if RenderCache.default().folder is None:
        return None
    digest = hashlib.sha256(f"{__version__}\0{project_dir.resolve()}\0{command}\0{today}".encode())
    for root in SearchPath.for_project(project_dir).roots:
        for folder in CONTENT_FOLDERS:
            files = _files_under(root / folder)
            if files is None:
                return None
            for path in sorted(files):
                digest.update(f"\0{path}\0{_file_state(path)}".encode())
    digest.update(f"\0{_file_state(project_dir / 'ldnpub.yaml')}".encode())
    return digest.hexdigest()


def unchanged_build(stamp: str) -> NoOp | None:
    """The no-op a stamp promises, when everything it recorded is as it was."""
    try:
        record = json.loads(_stamp_path(stamp).read_text(encoding="utf-8"))
        for name, state in record["files"].items():
            if _file_state(Path(name)) != state:
                return None
        return NoOp(record["out_dir"], tuple(record["targets"]), int(record["unchanged"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record_build(stamp: str, out_dir: Path, targets: list[str], read: list[Path], written: list[Path]) -> None:
    """Keep the stamp of a build that succeeded: what it read outside the content folders and
    every file it wrote, the manifest among them."""
    files = {str(path.resolve()): _file_state(path) for path in [*read, *written]}
    record = {"out_dir": str(out_dir), "targets": targets, "unchanged": len(written) - 1, "files": files}
    path = _stamp_path(stamp)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace(path, json.dumps(record).encode())
        for old in sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-MAX_STAMPS]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # no stamp: the next build checks the long way


def _stamp_path(stamp: str) -> Path:
    return RenderCache.default().folder / STAMP_FOLDER / f"{stamp}.json"


def _files_under(folder: Path) -> list[Path] | None:
    """Every file in the folder; None when a folder in it is a symbolic link (its files would
    change unseen, and a link may loop): such a project takes the long way."""
    found = []
    for parent, folders, names in os.walk(folder):
        if any(Path(parent, name).is_symlink() for name in folders):
            return None
        found += [Path(parent, name) for name in names]
    return found


def _file_state(path: Path) -> list[int] | None:
    """Size and modification time in nanoseconds; None for a file that is not there."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]
