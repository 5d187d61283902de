"""Benchmark: the whole catalog with ldnpub, beside plain WeasyPrint rendering the same HTML.

    python bench/bench.py [--variants standard,large-print,high-contrast] [--papers a4]

Builds every document, general and for every condition, in the chosen variants and papers, and
reports wall time, pages per second and peak memory of:
  - plain WeasyPrint, serial, one process, on the HTML files ldnpub wrote (--html), with and
    without HarfBuzz font subsetting (without: WeasyPrint falls back to fontTools);
  - ldnpub --jobs 1 and --jobs 2 (--force), and a no-op rebuild;
  - ldnpub --jobs 1 on growing parts of the catalog (peak memory should stay flat);
  - `ldnpub check` on the shipped content, and with each adversarial 50 KB paragraph added
    (a number, 50,000 spaces, then "mg": quadratic patterns took 87 s on it).
Each measurement runs in its own process, so its peak memory is its own.

    python bench/bench.py --latency

Edit to PDF in `ldnpub watch` (warm workers): a sentence of the questions section is changed and
saved three times; the seconds until questions_a4.pdf and booklet_a5.pdf are rewritten, beside a
cold `ldnpub build DOC --force` of each, and a build of the catalog into a new folder from the
render cache.

    python bench/bench.py --scale 5

The print run at scale: every document, general and for every condition, in the three
variants, on A4 and Letter, for 5 brands (100 PDFs a brand: 500), with the render cache off.
Wall time, pages per second and peak memory of the build's own process for -j 1, -j 2 and
Dask with two local workers (one thread each), and the cost of each extra brand (-j 2, one
brand against all of them).
"""

from __future__ import annotations

import argparse
import json
import os
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
    wall = time.perf_counter() - (NOOP_START or start)
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time is steadier than wall time on a shared VM; a no-op counts only its timed commands
    cpu = children.ru_utime + children.ru_stime - NOOP_CPU_START if NOOP_START else \
        sum(usage.ru_utime + usage.ru_stime for usage in (own, children))
    return {"kind": kind, "wall": wall, "cpu": cpu, "pages": pages,
            "peak_mib": max(own.ru_maxrss, children.ru_maxrss) / 1024}


# One 50 KB paragraph per kind of text that made a pattern of check or inline quadratic once.
ADVERSARIAL = {
    "spaces after a number": "Take 1" + " " * 50_000 + "mg",
    "a run of digits": "1" * 50_000,
    "a run of [": "[" * 50_000,
    "a run of [@": "[@" * 25_000,
    "unclosed links": "[a](" * 12_500,
    "emphasis marks": "*" * 25_000 + "_" * 25_000,
    "mixed": "Take 1" + " " * 10_000 + "mg *" + "_" * 500 + " [x](" + "(" * 500 + "[" * 10_000 + "1" * 10_000,
}


def check_times() -> dict:
    """Seconds for `check` on the shipped content, then with each 50 KB adversarial paragraph."""
    import datetime as dt

    import ldnpub
    from ldnpub.checks import check
    from ldnpub.commands.init import init_project

    folder = Path(tempfile.mkdtemp()) / "project"
    init_project(folder)
    today = dt.date(2026, 12, 1)
    check(ldnpub.load_project(folder), today)  # warm: imports and compiled templates
    start = time.perf_counter()
    check(ldnpub.load_project(folder), today)
    times = {"plain": time.perf_counter() - start}
    section = folder / "sources" / "sections" / "understanding-ldn.yaml"
    text = section.read_text()
    for name, paragraph in ADVERSARIAL.items():
        section.write_text(text.replace("\nblocks:\n", f"\nblocks:\n  - {json.dumps(paragraph)}\n", 1))
        start = time.perf_counter()
        check(ldnpub.load_project(folder), today)
        times[name] = time.perf_counter() - start
    return times


def ldnpub_build(folder: Path, kind: str, variants: list[str], papers: list[str], limit: int) -> int:
    import ldnpub

    empty = Path(tempfile.mkdtemp())
    project = ldnpub.load_project(empty)  # the shipped catalog
    if kind == "noop":
        return noop_commands(empty, folder, variants, papers)
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


def noop_commands(project: Path, folder: Path, variants: list[str], papers: list[str]) -> int:
    """`ldnpub build` with nothing to do, as a user runs it: once to leave the stamp of a build
    that succeeded (in a cache folder of its own), then timed."""
    os.environ["LDNPUB_CACHE_DIR"] = tempfile.mkdtemp()
    commands = [[LDNPUB, "-C", str(project), "build", "-q", "--out", str(folder), "--paper", paper,
                 *(["--all-conditions"] if conditions else []), *(a for v in variants for a in ("--variant", v))]
                for paper in papers for conditions in (False, True)]
    for command in commands:
        subprocess.run(command, check=True)
    global NOOP_START, NOOP_CPU_START
    NOOP_START = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    NOOP_CPU_START = usage.ru_utime + usage.ru_stime
    for command in commands:
        subprocess.run(command, check=True)
    return 0


NOOP_START = None  # a no-op's own time starts after the stamps are written
NOOP_CPU_START = 0.0


def ldnpub_stages(project, variants: list[str], papers: list[str], limit: int) -> int:
    """The first `limit` targets through every stage in this process (for peak memory)."""
    import ldnpub
    from ldnpub.pdf.finish import print_spec
    from ldnpub.pdf.writer import write_pdf
    from ldnpub.render.html import render
    from ldnpub.edition.tailor import tailor

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
    import threading

    from ldnpub.build.options import BuildOptions
    from ldnpub.commands.init import init_project
    from ldnpub.commands.watch import watch

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


def scale(brands: int) -> list[dict]:
    """The print run for `brands` brands, measured each way."""
    from ldnpub.commands.init import init_project

    os.environ["LDNPUB_CACHE_DIR"] = "off"
    project = Path(tempfile.mkdtemp()) / "project"
    init_project(project)
    clinic = (project / "sources" / "brands" / "example-clinic.yaml").read_text()
    names = [f"clinic-{n}" for n in range(1, brands + 1)]
    for n, name in enumerate(names, 1):
        (project / "sources" / "brands" / f"{name}.yaml").write_text(
            clinic.replace("Riverside Pain Clinic", f"Clinic Number {n}"))
    matrix = ["--all-conditions", "--paper", "a4", "--paper", "letter", "--variant", "standard",
              "--variant", "large-print", "--variant", "high-contrast", "--force"]
    runs = [("-j 2, one brand", [*matrix, "--brand", names[0], "-j", "2"])]
    everyone = [arg for name in names for arg in ("--brand", name)]
    runs += [(f"-j {jobs}, {brands} brands", [*matrix, *everyone, "-j", str(jobs)]) for jobs in (1, 2)]
    rows = [_run_build(project, label, args) for label, args in runs]
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        rows.append(_run_build(project, f"Dask, 2 local workers, {brands} brands",
                               [*matrix, *everyone, "--scheduler", cluster.scheduler_address]))
    return rows


def _run_build(project: Path, label: str, args: list[str]) -> dict:
    """One build in a fresh process (its peak memory is its own); wall time and pages."""
    out = project / "out" / label.replace(" ", "_").replace(",", "")
    command = [LDNPUB, "-C", str(project), "build", "-q", "--out", str(out), *args]
    figures = json.loads(subprocess.run([sys.executable, __file__, "--run", json.dumps(command)],
                                        check=True, capture_output=True, text=True).stdout)
    files = json.loads((out / "manifest.json").read_text())["files"]
    return {"label": label, "files": len(files), "pages": sum(f["pages"] for f in files), **figures}


def run_measured(command: list[str]) -> dict:
    start = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - start
    return {"wall": wall, "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", default="standard,large-print,high-contrast")
    parser.add_argument("--papers", default="a4")
    parser.add_argument("--one")
    parser.add_argument("--folder")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--check-only", action="store_true", help="Only time `check` (seconds).")
    parser.add_argument("--latency", action="store_true", help="Only edit-to-PDF latency in watch.")
    parser.add_argument("--scale", type=int, metavar="BRANDS", help="Only the print run for BRANDS brands.")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_measured(json.loads(args.run))))
        return
    if args.scale:
        rows = scale(args.scale)
        print("| run | PDFs | pages | wall s | pages/s | peak MiB (build process) |")
        print("|---|---|---|---|---|---|")
        for row in rows:
            print(f"| {row['label']} | {row['files']} | {row['pages']} | {row['wall']:.1f} | "
                  f"{row['pages'] / row['wall']:.1f} | {row['peak_mib']:.0f} |")
        one_brand, all_j2 = rows[0]["wall"], rows[2]["wall"]
        extra = (all_j2 - one_brand) / (args.scale - 1) if args.scale > 1 else 0.0
        print(f"\neach extra brand (-j 2): {extra:.1f} s (one brand {one_brand:.1f} s)")
        return
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
        print(f"check: {times.pop('plain'):.1f} s on the shipped content; with a 50 KB paragraph added of")
        for name, seconds in times.items():
            print(f"  {name}: {seconds:.1f} s")
        return
    if args.one:
        print(json.dumps(one(args.one, Path(args.folder), args.variants.split(","), args.papers.split(","),
                             args.limit)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LDNPUB_CACHE_DIR"] = str(Path(tmp) / "cache")  # written as a user's build writes it
        out = Path(tmp) / "dist"
        html = measure("html", out, args)                      # writes the HTML for the baseline
        rows = [measure(kind, out, args) for kind in
                ("weasyprint-fonttools", "weasyprint-harfbuzz", "ldnpub-j1", "ldnpub-j2", "noop")]
        growth = [measure("ldnpub-j1", Path(tmp) / f"grow{n}", args, limit=n) for n in (4, 16, 48)]
    files = len(list(out.glob("*.pdf"))) if out.exists() else 0
    base = rows[0]["wall"]
    print(f"catalog: {html['pages']} pages in the PDFs, variants {args.variants}, papers {args.papers}\n")
    print("| run | wall s | CPU s | pages/s | peak MiB | wall vs plain WeasyPrint (fontTools) | CPU vs it |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        rate = row["pages"] / row["wall"] if row["pages"] else 0
        print(f"| {row['kind']} | {row['wall']:.2f} | {row['cpu']:.2f} | {rate:.1f} | {row['peak_mib']:.0f} | "
              f"{row['wall'] / base:.2f} | {row['cpu'] / rows[0]['cpu']:.2f} |")
    j1 = rows[2]["wall"]
    print(f"\nldnpub -j1 / plain WeasyPrint with HarfBuzz subsetting (which ldnpub does not use): "
          f"{j1 / rows[1]['wall']:.2f}")
    print(f"ldnpub -j2 / ldnpub -j1: {rows[3]['wall'] / j1:.2f}")
    print(f"no-op rebuild / full build (-j2): {rows[4]['wall'] / rows[3]['wall']:.3f}")
    print("\npeak memory as the catalog grows (ldnpub -j1):")
    for n, row in zip((4, 16, 48), growth):
        print(f"  {n:>3} documents: {row['peak_mib']:.0f} MiB, {row['pages']} pages, {row['wall']:.1f} s")
    times = check_times()
    print(f"\ncheck: {times.pop('plain'):.1f} s on the shipped content; with a 50 KB paragraph added of")
    for name, seconds in times.items():
        print(f"  {name}: {seconds:.1f} s")
    del files


if __name__ == "__main__":
    main()
