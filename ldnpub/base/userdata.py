"""This user's folder for what ldnpub keeps between runs, and the key that seals it.

The render cache, the build stamps and veraPDF's compiled checker live in one folder per user
(LDNPUB_CACHE_DIR, else platformdirs' cache folder); a record read back from it is trusted only
with this user's seal (an HMAC with a key made once in that folder), so a file planted there by
someone else is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
from pathlib import Path

from ldnpub.base.errors import Problem, UsageError


CACHE_DIR_ENV = "LDNPUB_CACHE_DIR"  # the render cache's folder, or "off"


# Build state a project brings along (its own dist/manifest.json, a record planted in a shared
# cache folder) is never trusted: ldnpub seals what it records with a keyed hash whose key only
# this user's ldnpub knows (a random secret in the user's cache folder), and believes only sealed
# records. A forged PDF with a manifest entry carrying the right fingerprint is rendered again.
SECRET_FILE = "secret"


def seal(fields: dict) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(_secret(cache_folder()), canonical.encode(), hashlib.sha256).hexdigest()


def cache_folder() -> Path | None:
    """LDNPUB_CACHE_DIR, else the user's cache folder; None when it is off."""
    setting = os.environ.get(CACHE_DIR_ENV, "").strip()
    if setting.lower() == "off":
        return None
    if setting:
        try:
            folder = Path(setting).expanduser()
        except RuntimeError:  # ~someone who is not a user here
            raise UsageError("bad cache folder", (Problem(None, None, None,
                             f"{CACHE_DIR_ENV}: no such home folder in {setting[:80]!r}",
                             "give a folder of your own, or off"),)) from None
    else:
        import platformdirs
        folder = Path(platformdirs.user_cache_dir("ldnpub")) / "renders"
    _refuse_shared(folder)
    return folder


@functools.lru_cache(maxsize=8)
def _secret(folder: Path | None) -> bytes:
    """This user's key: 32 random bytes in the cache folder, made once (0600). With the cache
    off, or its folder unwritable, a key for this process only: nothing older is trusted."""
    if folder is None:
        return os.urandom(32)
    path = folder / SECRET_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(os.urandom(32))
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "rb") as stream:
            status = os.fstat(stream.fileno())
            key = stream.read(33)
        if status.st_uid == os.geteuid() and not status.st_mode & 0o077 and len(key) == 32:
            return key
    except OSError:
        pass
    return os.urandom(32)


def _refuse_shared(folder: Path) -> None:
    """The render cache is this user's build state: a folder others can write to (or that
    belongs to someone else) could hand the build a PDF it did not render."""
    try:
        status = folder.stat()
    except OSError:
        return  # made later, private
    if status.st_uid != os.geteuid() or status.st_mode & 0o022:
        raise UsageError("shared cache folder", (Problem(folder, None, None,
                         "the render cache folder can be written by other users",
                         f"give a folder of your own with {CACHE_DIR_ENV}, or {CACHE_DIR_ENV}=off"),))
