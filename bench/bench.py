"""Benchmark: the whole catalog with ldnpub, beside plain WeasyPrint rendering the same HTML.

    python bench/bench.py [--variants standard,large-print,high-contrast] [--papers a4]

Builds every document, general and for every condition, in the chosen variants and papers, and
reports wall time, pages per second and peak memory of:
  - plain WeasyPrint, serial, one process, on the HTML files ldnpub wrote (--html), with and
    without HarfBuzz font subsetting (without: WeasyPrint falls back to fontTools);
  - ldnpub --jobs 1 and --jobs 2 (--force), and a no-op rebuild;
  - ldnpub --jobs 1 on growing parts of the catalog (peak memory should stay flat);
  - `ldnpub check` on the shipped content, and with one adversarial 50 KB paragraph added
    (a number, 50,000 spaces, then "mg": quadratic patterns took 87 s on it).
Each measurement runs in its own process, so its peak memory is its own.

    python bench/bench.py --latency

Edit to PDF in `ldnpub watch` (warm workers): a sentence of the questions section is changed and
saved three times; the seconds until questions_a4.pdf and booklet_a5.pdf are rewritten, beside a
cold `ldnpub build DOC --force` of each, and a build of the catalog into a new folder from the
render cache.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(kind: str, folder: Path, args: argparse.Namespace, limit: int = 0) -> dict:
    command = [sys.executable, __file__, "--one", kind, "--folder", str(folder), "--limit", str(limit),
               "--variants", args.variants, "--papers", args.papers]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def one(kind: str, folder: Path, variants: list[str], papers: list[str], limit: int) -> dict:
    """Run one measurement in this process; returns its figures."""
    start = time.perf_counter()
    if kind.startswith("weasyprint"):
        pages = plain_weasyprint(folder, harfbuzz=kind == "weasyprint-harfbuzz")
    else:
        pages = ldnpub_build(folder, kind, variants, papers, limit)
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"kind": kind, "wall": wall, "pages": pages, "peak_mib": max(own, children) / 1024}


def check_times() -> dict:
    """Seconds for `check` on the shipped content, then with a 50 KB adversarial paragraph."""
    import datetime as dt

    import ldnpub
    from ldnpub.checks import check
    from ldnpub.project import init_project

    folder = Path(tempfile.mkdtemp()) / "project"
    init_project(folder)
    today = dt.date(2026, 12, 1)
    check(ldnpub.load_project(folder), today)  # warm: imports and compiled templates
    start = time.perf_counter()
    check(ldnpub.load_project(folder), today)
    plain = time.perf_counter() - start
    section = folder / "sources" / "sections" / "understanding-ldn.yaml"
    paragraph = "Take 1" + " " * 50_000 + "mg *" + "_" * 500 + " [x](" + "(" * 500
    text = section.read_text()
    section.write_text(text.replace("\nblocks:\n", f"\nblocks:\n  - {json.dumps(paragraph)}\n", 1))
    start = time.perf_counter()
    check(ldnpub.load_project(folder), today)
    return {"plain": plain, "adversarial": time.perf_counter() - start}


def ldnpub_build(folder: Path, kind: str, variants: list[str], papers: list[str], limit: int) -> int:
    import ldnpub

    project = ldnpub.load_project(Path(tempfile.mkdtemp()))  # the shipped catalog
    if limit:
        return ldnpub_stages(project, variants, papers, limit)
    jobs = {"ldnpub-j1": 1, "ldnpub-j2": 2, "noop": 2, "html": 2}[kind]
    pages = 0
    for paper in papers:
        for conditions in (False, True):
            options = ldnpub.BuildOptions(papers=(paper,), all_conditions=conditions, variants=tuple(variants),
                                          jobs=jobs, force=kind != "noop", html=kind == "html")
            report = ldnpub.build(project, options, folder)
            assert not report.failed, report.problems
            pages += sum(o.pages for o in report.outputs)
    return pages


def ldnpub_stages(project, variants: list[str], papers: list[str], limit: int) -> int:
    """The first `limit` targets through every stage in this process (for peak memory)."""
    import ldnpub
    from ldnpub.finish import print_spec
    from ldnpub.pdf import write_pdf
    from ldnpub.render import render
    from ldnpub.tailor import tailor

    targets = [t for paper in papers for conditions in (False, True)
               for t in ldnpub.plan(project, ldnpub.BuildOptions(papers=(paper,), all_conditions=conditions,
                                                                  variants=tuple(variants)))]
    editions = (tailor(project, t) for t in targets[:limit])
    return sum(write_pdf(render(project, e), print_spec(project, e)).pages for e in editions)


def plain_weasyprint(folder: Path, harfbuzz: bool) -> int:
    import weasyprint
    import weasyprint.pdf.fonts

    if not harfbuzz:
        weasyprint.pdf.fonts.harfbuzz_subset = None  # benchmark only: the fontTools fallback
    pages = 0
    for html in sorted(folder.glob("*.html")):
        document = weasyprint.HTML(filename=str(html)).render()
        document.write_pdf(pdf_variant="pdf/ua-1")
        pages += len(document.pages)
    return pages


LDNPUB = str(Path(sys.executable).parent / "ldnpub")  # the command, installed beside this Python
EDITED = "sources/sections/questions.yaml"
SENTENCE = "People are taking an interest"


def latency() -> dict:
    """Seconds from saving an edit to each rewritten PDF, in watch; and the cold builds."""
    import os
    import threading

    from ldnpub.build import BuildOptions
    from ldnpub.project import init_project
    from ldnpub.watch import watch

    os.environ["LDNPUB_CACHE_DIR"] = tempfile.mkdtemp()
    project = Path(tempfile.mkdtemp()) / "project"
    init_project(project)
    out = project / "dist"
    figures: dict[str, list[float]] = {"leaflet": [], "booklet": []}
    built, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=watch, args=(project, BuildOptions(), out, lambda report: built.set(), stop))
    thread.start()
    built.wait(300)
    section = project / EDITED
    original = section.read_text()
    for edit in range(3):
        time.sleep(1)
        built.clear()
        files = {"leaflet": out / "questions_a4.pdf", "booklet": out / "booklet_a5.pdf"}
        before = {kind: path.stat().st_mtime_ns for kind, path in files.items()}
        section.write_text(original.replace(SENTENCE, f"People ({time.time()}) are taking an interest"))
        saved, seen = time.perf_counter(), {}
        while len(seen) < 2 and time.perf_counter() - saved < 60:
            for kind, path in files.items():
                if kind not in seen and path.stat().st_mtime_ns != before[kind]:
                    seen[kind] = time.perf_counter() - saved
            time.sleep(0.005)
        built.wait(60)
        for kind in figures:
            figures[kind].append(seen.get(kind, float("nan")))
    stop.set()
    thread.join()
    section.write_text(original)
    cold = {doc: _timed([LDNPUB, "-C", str(project), "build", doc, "--force",
                         "--out", str(project / "cold")]) for doc in ("questions", "booklet")}
    cached = _timed([LDNPUB, "-C", str(project), "build", "--out", str(project / "new")])
    return {"watch": figures, "cold": cold, "from_cache": cached}


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", default="standard,large-print,high-contrast")
    parser.add_argument("--papers", default="a4")
    parser.add_argument("--one")
    parser.add_argument("--folder")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--check-only", action="store_true", help="Only time `check` (seconds).")
    parser.add_argument("--latency", action="store_true", help="Only edit-to-PDF latency in watch.")
    args = parser.parse_args()
    if args.latency:
        figures = latency()
        for kind, doc in (("leaflet", "questions"), ("booklet", "booklet")):
            edits = ", ".join(f"{value:.2f}" for value in figures["watch"][kind])
            print(f"{kind}: watch {edits} s after each save; cold `ldnpub build {doc} --force` "
                  f"{figures['cold'][doc]:.2f} s")
        print(f"the catalog into a new folder from the render cache: {figures['from_cache']:.2f} s")
        return
    if args.check_only:
        times = check_times()
        print(f"check: {times['plain']:.1f} s on the shipped content, {times['adversarial']:.1f} s "
              "with a 50 KB adversarial paragraph added")
        return
    if args.one:
        print(json.dumps(one(args.one, Path(args.folder), args.variants.split(","), args.papers.split(","),
                             args.limit)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dist"
        html = measure("html", out, args)                      # writes the HTML for the baseline
        rows = [measure(kind, out, args) for kind in
                ("weasyprint-fonttools", "weasyprint-harfbuzz", "ldnpub-j1", "ldnpub-j2", "noop")]
        growth = [measure("ldnpub-j1", Path(tmp) / f"grow{n}", args, limit=n) for n in (4, 16, 48)]
    files = len(list(out.glob("*.pdf"))) if out.exists() else 0
    base = rows[0]["wall"]
    print(f"catalog: {html['pages']} pages in the PDFs, variants {args.variants}, papers {args.papers}\n")
    print("| run | wall s | pages/s | peak MiB | vs plain WeasyPrint (fontTools) |")
    print("|---|---|---|---|---|")
    for row in rows:
        rate = row["pages"] / row["wall"] if row["pages"] else 0
        print(f"| {row['kind']} | {row['wall']:.2f} | {rate:.1f} | {row['peak_mib']:.0f} | {row['wall'] / base:.2f} |")
    j1 = rows[2]["wall"]
    print(f"\nldnpub -j1 / plain WeasyPrint (HarfBuzz, same fonts path): {j1 / rows[1]['wall']:.2f}")
    print(f"ldnpub -j2 / ldnpub -j1: {rows[3]['wall'] / j1:.2f}")
    print(f"no-op rebuild / full build (-j2): {rows[4]['wall'] / rows[3]['wall']:.3f}")
    print("\npeak memory as the catalog grows (ldnpub -j1):")
    for n, row in zip((4, 16, 48), growth):
        print(f"  {n:>3} documents: {row['peak_mib']:.0f} MiB, {row['pages']} pages, {row['wall']:.1f} s")
    times = check_times()
    print(f"\ncheck: {times['plain']:.1f} s on the shipped content, {times['adversarial']:.1f} s "
          "with a 50 KB adversarial paragraph added")
    del files


if __name__ == "__main__":
    main()
