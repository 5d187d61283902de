"""Files read and written safely: bounded reads confined to a folder, atomic writes.

Every content file, layout, stylesheet, font and image goes through read_file; every output
through write_atomic.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ldnpub.base.errors import BuildError, ContentError, Problem


def read_file(path: Path, max_bytes: int, inside: Path | None = None, display: str | None = None) -> bytes:
    """A regular file's bytes, at most max_bytes, refused before reading when larger.

    With `inside`, the file that was actually opened must lie inside that folder, symlinks
    followed: checked on the open file (its path from /proc/self/fd), so a file swapped for a
    link between a check and the read cannot lead outside. O_NONBLOCK: a FIFO planted under a
    content file's name is refused instead of blocking the build.
    """
    from ldnpub.base.errors import ContentError, Problem

    name = Path(display or path)

    def refuse(message: str, hint: str = "") -> ContentError:
        return ContentError("unreadable input", (Problem(name, None, None, message, hint),))

    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise refuse("not a regular file", "replace it with a text file")
        if inside is not None:
            real = _opened_path(descriptor, path)
            if not real.is_relative_to(inside.resolve()):
                raise refuse(f"leads outside the project (to {real})", "replace the link with the file itself")
        if status.st_size > max_bytes:
            raise refuse(f"the file is larger than {max_bytes:,} bytes", "split it into several files")
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise refuse(f"the file is larger than {max_bytes:,} bytes", "split it into several files")
    return data


def _opened_path(descriptor: int, path: Path) -> Path:
    """The real path of an open file: where the kernel says it is (Linux), else resolved."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{descriptor}"))
    except OSError:
        return path.resolve()


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the destination, flush it to disk, then rename: readers never see half a
    file, and a crash leaves the old file or the new one. The file gets the user's umask
    (0644 under 022), not mkstemp's private 0600."""
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException as exc:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # a full disk, a read-only or missing folder
            raise BuildError("cannot write", (Problem(path, None, None, f"cannot write the file: {exc.strerror or exc}",
                                                      "free some space, or write elsewhere (--out)"),)) from None
        raise
    _fsync_folder(path.parent)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename still happened
    finally:
        os.close(descriptor)
