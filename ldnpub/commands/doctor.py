"""`ldnpub doctor`: what this machine has and lacks for each feature, with the command that
installs what is missing. The core (building PDFs) failing is exit 1; an optional feature
missing is said and is no failure."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    feature: str
    ok: bool
    detail: str  # what was found, or why not
    install: str = ""  # the command that fixes it
    core: bool = False  # builds fail without it


def _pango() -> tuple[bool, str]:
    try:
        from ldnpub.pdf.writer import engine
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint found no Pango library
        return False, f"WeasyPrint cannot start: {str(exc).splitlines()[0][:120]}"
    return True, engine()


def _python() -> tuple[bool, str]:
    version = ".".join(map(str, sys.version_info[:3]))
    return sys.version_info >= (3, 11), f"Python {version}"


def _fonts() -> tuple[bool, str]:
    try:
        import fontpkg
        path = fontpkg.path("Atkinson Hyperlegible", weight=400, style="normal")
    except Exception as exc:  # noqa: BLE001 - any failure of the font package is the finding
        return False, f"Atkinson Hyperlegible not found: {exc}"
    return True, f"Atkinson Hyperlegible ({path.name})"


def _conditions() -> list[str]:
    """The output conditions whose profile is on this machine (fogra51 and gracol2013 are downloads)."""
    from ldnpub.prepress.conditions import CONDITIONS, UsageError, resolve

    found = []
    for name in CONDITIONS:
        try:
            resolve(name)
            found.append(name)
        except UsageError:
            found.append(f"{name} (profile not installed)")
    return found


def _press() -> tuple[bool, str]:
    from ldnpub.prepress import press

    reason = press.missing()
    return reason is None, reason or "Ghostscript; output conditions " + ", ".join(_conditions())


def _verapdf() -> tuple[bool, str]:
    from ldnpub.pdf import verapdf

    reason = verapdf.missing()
    return reason is None, reason or "Java, the JAXB runtime and veraPDF"


def _chromium() -> tuple[bool, str]:
    found = next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None)
    return found is not None, found or "no chromium on PATH"


def _dask() -> tuple[bool, str]:
    try:
        import distributed
    except ImportError:
        return False, "dask.distributed is not installed"
    return True, f"dask.distributed {distributed.__version__}"


def _cache() -> tuple[bool, str]:
    from ldnpub.build.cache import RenderCache
    from ldnpub.base.errors import LdnpubError

    try:
        info = RenderCache.default().info()
    except LdnpubError as exc:
        return False, str(exc).splitlines()[0]
    if info.folder is None:
        return True, "off (LDNPUB_CACHE_DIR=off)"
    return True, f"{info.folder}: {info.files} PDF(s)"


CHECKS: tuple[tuple[str, Callable[[], tuple[bool, str]], str, bool], ...] = (
    ("Python 3.11 or newer", _python, "install Python 3.11 (Debian 12: apt-get install python3)", True),
    ("Pango, for WeasyPrint", _pango, "apt-get install libpango-1.0-0 libpangoft2-1.0-0", True),
    ("the typeface", _fonts, "pip install fontpkg-atkinson-hyperlegible", True),
    ("press files and total ink (--press, preflight)", _press, "apt-get install ghostscript", False),
    ("PDF/UA validation (ldnpub validate)", _verapdf,
     "apt-get install default-jdk-headless libjaxb-java && pip install 'ldnpub[verapdf]'", False),
    ("the preview's browser test", _chromium, "apt-get install chromium", False),
    ("rendering on a Dask cluster (--scheduler)", _dask, "pip install 'ldnpub[dask]'", False),
    ("the render cache", _cache, "set LDNPUB_CACHE_DIR to a folder of your own, or off", False),
)


def diagnose() -> list[Finding]:
    findings = []
    for feature, check, install, core in CHECKS:
        ok, detail = check()
        findings.append(Finding(feature, ok, detail, "" if ok else install, core))
    return findings
