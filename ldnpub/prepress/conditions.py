"""Output conditions: the printing conditions a print shop names, and the CMYK profile of each.

A press file is separated for one condition (the paper, the press and the ink a shop prints
with) and says which in its PDF/X output intent: the condition's registry identifier and its
ICC profile, embedded. The shops' usual names are here, each with the total ink its standard
allows; a shop's own profile (`--output-condition shop.icc`) is used as it is.

Two profiles ship (ldnpub/profiles/, see its README): FOGRA39 and SWOP, made with ArgyllCMS from
the characterization data Debian's icc-profiles-free has under the Zlib licence. The profiles for
FOGRA51 and GRACoL 2013 are free to download from their publishers but not to redistribute:
ldnpub finds them where a user puts them and says where to get them.
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from ldnpub.base.errors import Problem, UsageError

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
REGISTRY = "http://www.color.org"
MAX_PROFILE_BYTES = 20 * 2**20  # the largest printer profiles are a few megabytes
DEFAULT_MAX_INK = 300  # percent, for a shop's own profile when it names no limit


@dataclass(frozen=True, slots=True)
class Condition:
    """A printing condition as the ICC registry names it."""

    id: str  # the name ldnpub takes: --output-condition fogra39
    identifier: str  # the output intent's OutputConditionIdentifier, as registered
    description: str
    max_ink: int  # percent: the total ink the condition's standard profile allows
    profile_files: tuple[str, ...]  # file names it is found under; the first ones ship with ldnpub
    stock: str  # the paper the condition is for, as a job ticket suggests it
    where: str = ""  # where to get its profile, when none ships


CONDITIONS: dict[str, Condition] = {c.id: c for c in (
    Condition("fogra39", "FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004/Amd 1, sheet-fed offset, coated paper)",
              330, ("fogra39.icc", "ISOcoated_v2_eci.icc", "CoatedFOGRA39.icc"),
              "coated paper, gloss or matt (ISO 12647-2 paper type 1 or 2)"),
    Condition("fogra51", "FOGRA51", "PSO Coated v3 (ISO 12647-2:2013, premium coated paper), FOGRA51",
              300, ("PSOcoated_v3.icc",), "premium coated paper (ISO 12647-2:2013 paper type 1)",
              "PSO Coated v3 from the European Color Initiative (www.eci.org, 'Downloads', free)"),
    Condition("gracol2013", "CGATS21_CRPC6", "GRACoL 2013 (CGATS 21-2, CRPC6, coated #1)",
              320, ("GRACoL2013_CRPC6.icc",), "grade 1 coated paper",
              "GRACoL2013_CRPC6.icc from Idealliance (www.idealliance.org, 'GRACoL', free)"),
    Condition("swop", "CGATS TR 003", "SWOP (CGATS TR 003, web offset, coated #3 paper)",
              300, ("swop.icc", "USWebCoatedSWOP.icc"), "grade 3 or 5 coated publication paper (web offset)"),
)}


@dataclass(frozen=True, slots=True)
class OutputCondition:
    """The condition a press file is made for, with its profile's bytes."""

    identifier: str
    description: str
    max_ink: int
    profile: bytes
    registry: str = REGISTRY  # empty for a shop's own profile
    source: Path | None = None  # the profile's file

    @property
    def digest(self) -> str:
        """What the press file depends on: the profile and the limit."""
        return hashlib.sha256(self.profile + f" {self.identifier} {self.max_ink}".encode()).hexdigest()[:16]


def profile_folders(project_root: Path | None) -> list[Path]:
    """Where a condition's profile is looked for: the project's profiles/, the user's and the
    system's colour folders, then the profiles that ship."""
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    folders = [project_root / "profiles"] if project_root else []
    return folders + [data_home / "color" / "icc", Path("/usr/share/color/icc"), PROFILES_DIR]


def resolve(name: str, project_root: Path | None = None, max_ink: int | None = None) -> OutputCondition:
    """A condition by its name (fogra39), or a shop's .icc file (a path as given); max_ink
    overrides its limit."""
    if name.lower().endswith((".icc", ".icm")):
        return _shop_profile(Path(name), max_ink)
    condition = CONDITIONS.get(name.lower())
    if condition is None:
        raise UsageError("unknown output condition", (Problem(None, None, None,
            f"unknown output condition '{name}'",
            f"use one of: {', '.join(CONDITIONS)}, or the .icc file your print shop sent"),))
    path = _find(condition, project_root)
    if path is None:
        raise UsageError("no profile", (Problem(None, None, None,
            f"--output-condition {condition.id}: its ICC profile is not on this machine",
            f"download {condition.where}, and put {condition.profile_files[0]} in the project's profiles/ "
            f"folder (or pass the file: --output-condition path/to/{condition.profile_files[0]})"),))
    profile = _read_profile(path)
    return OutputCondition(condition.identifier, condition.description, max_ink or condition.max_ink, profile,
                           source=path)


def _find(condition: Condition, project_root: Path | None) -> Path | None:
    for folder in profile_folders(project_root):
        for name in condition.profile_files:
            if (folder / name).is_file():
                return folder / name
    return None


def _shop_profile(path: Path, max_ink: int | None) -> OutputCondition:
    profile = _read_profile(path)
    description = profile_description(profile) or path.stem
    return OutputCondition("Custom", description, max_ink or DEFAULT_MAX_INK, profile, registry="", source=path)


def _read_profile(path: Path) -> bytes:
    from ldnpub.base.files import read_file

    def refuse(message: str) -> UsageError:
        return UsageError("bad profile", (Problem(path, None, None, message,
                          "use the CMYK output profile (.icc) your print shop sent"),))

    try:
        data = read_file(path, MAX_PROFILE_BYTES)
    except FileNotFoundError:
        raise refuse("no such file") from None
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror})") from None
    if len(data) < 132 or data[36:40] != b"acsp":
        raise refuse("not an ICC profile")
    if data[16:20] != b"CMYK" or data[12:16] != b"prtr":
        kind = PROFILE_CLASSES.get(data[12:16], "device")
        raise refuse(f"not a CMYK printer profile (it is a {kind} profile for {data[16:20].decode('latin-1').strip()})")
    return data


PROFILE_CLASSES = {b"mntr": "display", b"scnr": "scanner", b"prtr": "printer", b"spac": "colour space",
                   b"link": "device link", b"abst": "abstract", b"nmcl": "named colour"}


def profile_description(profile: bytes) -> str | None:
    """The profile's own name, from its 'desc' tag (ICC v2 text or v4 multi-language text)."""
    try:
        count = struct.unpack(">I", profile[128:132])[0]
        for index in range(min(count, 100)):
            signature, offset, size = struct.unpack(">4sII", profile[132 + 12 * index:144 + 12 * index])
            if signature != b"desc":
                continue
            tag = profile[offset:offset + size]
            if tag[:4] == b"desc":
                length = struct.unpack(">I", tag[8:12])[0]
                return tag[12:12 + length].rstrip(b"\0").decode("latin-1") or None
            if tag[:4] == b"mluc":
                length, start = struct.unpack(">II", tag[20:28])  # the first record's text
                return tag[start:start + length].decode("utf-16-be") or None
    except (struct.error, UnicodeDecodeError):
        return None
    return None


def max_ink_for(identifier: str) -> int:
    """The ink limit of a registered condition, from a press file's OutputConditionIdentifier."""
    return next((c.max_ink for c in CONDITIONS.values() if c.identifier == identifier), DEFAULT_MAX_INK)
