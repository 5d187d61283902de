"""Building: plan the targets, run the stages for each, write the files and manifest.json.

Every file is written to a temporary name and moved into place, and the manifest last, so a
failed or interrupted build leaves the previous outputs intact and no half-written file.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .brand import find_brand, load_brand
from .errors import LdnpubError, Problem, UsageError
from .model import Project
from .render import render
from .tailor import BuildTarget, tailor

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class Output:
    target: BuildTarget
    path: Path
    pages: int
    sha256: str
    imposed: bool = False

    def manifest_entry(self, out_dir: Path) -> dict:
        t = self.target
        return {"document": t.document, "condition": t.condition, "variant": t.variant, "paper": t.paper,
                "brand": t.brand, "bleed": t.bleed, "crop_marks": t.crop_marks,
                "path": self.path.relative_to(out_dir).as_posix(),
                "pages": self.pages, "sha256": self.sha256, "imposed": self.imposed}


@dataclass(frozen=True, slots=True)
class BuildReport:
    out_dir: Path
    outputs: tuple[Output, ...] = ()
    problems: tuple[Problem, ...] = field(default=())

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def plan(project: Project, doc_ids: Sequence[str] = (), paper: str | None = None,
         conditions: Sequence[str] = (), all_conditions: bool = False, brand: str | None = None,
         variants: Sequence[str] = (), bleed: str | None = None, crop_marks: bool = False) -> list[BuildTarget]:
    """The targets a build writes: the named documents (default: all) on the chosen paper.

    With conditions, a tailored document is built once per condition and a per-condition
    document exists only then; other documents are the same for every reader, built once.
    """
    _require_known("document", doc_ids, [d.id for d in project.catalog.documents])
    _require_known("condition", conditions, list(project.conditions))
    chosen_conditions = list(project.conditions) if all_conditions else list(dict.fromkeys(conditions))
    chosen_paper = paper or project.catalog.default_paper
    targets = []
    for doc_id in dict.fromkeys(doc_ids or [d.id for d in project.catalog.documents]):
        document = project.document(doc_id)
        if chosen_paper not in document.papers:
            raise UsageError("unsupported paper", (Problem(None, None, None,
                             f"document '{doc_id}' is not made for {chosen_paper} paper",
                             f"its papers: {', '.join(document.papers)}"),))
        if (document.tailored or document.per_condition) and chosen_conditions:
            editions: list[str | None] = list(chosen_conditions)
        elif document.per_condition:
            if doc_ids:
                raise UsageError("needs a condition", (Problem(None, None, None,
                                 f"document '{doc_id}' is made only per condition",
                                 "add --condition ID or --all-conditions"),))
            continue
        else:
            editions = [None]
        chosen_variants = list(dict.fromkeys(variants or ["standard"]))
        offered = [v for v in chosen_variants if v in document.variants]
        if doc_ids and len(offered) < len(chosen_variants):
            missing = ", ".join(v for v in chosen_variants if v not in offered)
            raise UsageError("unsupported variant", (Problem(None, None, None,
                             f"document '{doc_id}' is not made in {missing}",
                             f"its variants: {', '.join(document.variants)}"),))
        targets += [BuildTarget(doc_id, chosen_paper, condition, variant, brand, bleed, crop_marks)
                    for condition in editions for variant in offered]
    return targets


def _css_length(text: str) -> str:
    """A bleed length as CSS: 3mm, 0.125in, 9pt (WeasyPrint keeps at most 10pt as BleedBox)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|in|pt)\s*", text)
    if not match:
        raise UsageError("bad bleed", (Problem(None, None, None, "--bleed: expected a length such as 3mm, "
                                                f"0.125in or 9pt, found {text!r}"),))
    return match.group(1) + match.group(2)


def _require_known(kind: str, asked: Sequence[str], known: list[str]) -> None:
    for name in asked:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = (f"did you mean '{close[0]}'? " if close else "") + f"Known: {', '.join(known)}"
            raise UsageError(f"unknown {kind}", (Problem(None, None, None, f"unknown {kind} '{name}'", hint),))


def build(project: Project, doc_ids: Sequence[str] = (), *, paper: str | None = None,
          conditions: Sequence[str] = (), all_conditions: bool = False, brand: str | None = None,
          variants: Sequence[str] = (), bleed: str | None = None, crop_marks: bool = False,
          impose: bool = False, out_dir: Path = Path("dist")) -> BuildReport:
    """Build the documents into out_dir and update its manifest.json.

    brand is a brand file's path, or the name of one in sources/brands/. With impose, each
    saddle-stitched document (page_multiple 4) also gets a printer's-spread file beside it.
    """
    from .finish import finish  # pypdf and WeasyPrint load only when something renders
    from .pdf import write_pdf

    loaded = load_brand(find_brand(project.search, brand)) if brand else None
    if bleed is not None:
        bleed = _css_length(bleed)
    targets = plan(project, doc_ids, paper, conditions, all_conditions, loaded.id if loaded else None,
                   variants, bleed, crop_marks)
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs, problems = [], []
    for target in targets:
        try:
            page = render(project, tailor(project, target, loaded))
            result = finish(write_pdf(page), page)
        except LdnpubError as exc:
            problems.extend(exc.problems or (Problem(None, None, None, f"{target.output_name}: {exc}"),))
            continue
        path = out_dir / target.output_name
        write_atomic(path, result.data)
        log.info("wrote %s (%d pages)", path, result.pages)
        outputs.append(Output(target, path, result.pages, hashlib.sha256(result.data).hexdigest()))
        if impose and page.page_multiple > 1:
            outputs.append(_write_imposed(result.data, target, out_dir))
    write_manifest(out_dir, outputs)
    return BuildReport(out_dir, tuple(outputs), tuple(problems))


def _write_imposed(data: bytes, target: BuildTarget, out_dir: Path) -> Output:
    from .impose import impose as impose_pages

    imposed, sides = impose_pages(data, target.paper)
    path = out_dir / target.imposed_name
    write_atomic(path, imposed)
    return Output(target, path, sides, hashlib.sha256(imposed).hexdigest(), imposed=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the destination, then rename: readers never see half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_manifest(out_dir: Path, outputs: Sequence[Output]) -> None:
    """Record the new outputs, keeping the entries of earlier builds into the same folder."""
    manifest_path = out_dir / MANIFEST
    entries: dict[str, dict] = {}
    if manifest_path.is_file():
        try:
            entries = {e["path"]: e for e in json.loads(manifest_path.read_text())["files"]}
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring an unreadable %s", manifest_path)
    for output in outputs:
        entry = output.manifest_entry(out_dir)
        entries[entry["path"]] = entry
    entries = {p: e for p, e in entries.items() if (out_dir / p).is_file()}
    manifest = {"generator": f"ldnpub {__version__}", "files": [entries[p] for p in sorted(entries)]}
    write_atomic(manifest_path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
