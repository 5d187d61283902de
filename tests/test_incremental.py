"""Fast, incremental, reproducible builds: workers, skipping, atomic writes, --html, watch, Dask."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

import ldnpub
from conftest import run
from ldnpub.build.options import BuildOptions
from ldnpub.base.files import write_atomic
from ldnpub.base.errors import BuildError
from ldnpub.commands.watch import watch


def pdf_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def test_an_unchanged_build_skips_everything_and_says_so(mini_dir):
    out = mini_dir / "dist"
    run("-C", str(mini_dir), "build", "--out", str(out))
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    result = run("-C", str(mini_dir), "build", "--out", str(out))
    assert result.exit_code == 0
    assert "[1/2] unchanged guide_a5.pdf" in result.output
    assert "2 file(s) unchanged since the last build (--force rebuilds them)" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == before
    forced = run("-C", str(mini_dir), "build", "--force", "--out", str(out))
    assert "] wrote" in forced.output and "] unchanged" not in forced.output


def test_editing_one_condition_rebuilds_only_its_documents(mini_dir):
    out = mini_dir / "dist"
    run("-C", str(mini_dir), "build", "--all-conditions", "--out", str(out))
    condition = mini_dir / "sources" / "conditions" / "cond-y.yaml"
    condition.write_text(condition.read_text().replace("another test condition", "an edited condition"))
    result = run("-C", str(mini_dir), "build", "--all-conditions", "--out", str(out))
    assert result.exit_code == 0
    assert "wrote guide_cond-y_a5.pdf" in result.output
    assert "unchanged guide_cond-x_a5.pdf" in result.output and "unchanged sheet_a4.pdf" in result.output


def test_a_changed_stylesheet_or_option_rebuilds(mini_dir):
    out = mini_dir / "dist"
    run("-C", str(mini_dir), "build", "sheet", "--out", str(out))
    (mini_dir / "styles").mkdir()
    (mini_dir / "styles" / "custom.css").write_text("h2 { letter-spacing: 0.5pt; }")
    assert "wrote sheet_a4.pdf" in run("-C", str(mini_dir), "build", "sheet", "--out", str(out)).output
    assert "unchanged" in run("-C", str(mini_dir), "build", "sheet", "--out", str(out)).output
    assert "wrote sheet_a4_crop.pdf" in run("-C", str(mini_dir), "build", "sheet", "--crop-marks",
                                            "--out", str(out)).output


def test_a_damaged_output_is_rebuilt(mini_dir):
    out = mini_dir / "dist"
    run("-C", str(mini_dir), "build", "sheet", "--out", str(out))
    (out / "sheet_a4.pdf").write_bytes(b"not a pdf")
    assert "wrote sheet_a4.pdf" in run("-C", str(mini_dir), "build", "sheet", "--out", str(out)).output


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(BuildError, match="cannot write the file: disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_html_is_written_beside_each_pdf_with_its_assets(mini_dir):
    out = mini_dir / "dist"
    result = run("-C", str(mini_dir), "build", "sheet", "--html", "--out", str(out))
    assert result.exit_code == 0
    html = (out / "sheet_a4.html").read_text()
    assert '<html lang="en" dir="ltr">' in html and "<title>Mini Sheet</title>" in html
    assert "font-family: \"Atkinson Hyperlegible\"" in html          # the stylesheets, inlined
    assert "Beta text cites the first study" in html
    import re
    from urllib.parse import unquote, urlparse
    for url in re.findall(r'file://[^")\s]+', html):
        assert Path(unquote(urlparse(url).path)).is_file(), url


def test_watch_rebuilds_on_save_and_survives_errors(mini_dir):
    out = mini_dir / "dist"
    reports: list = []
    arrived = threading.Condition()
    stop = threading.Event()

    def on_build(report):
        with arrived:
            reports.append(report)
            arrived.notify_all()

    def wait_for(count: int):
        with arrived:
            assert arrived.wait_for(lambda: len(reports) >= count, timeout=60), reports

    events: list = []
    thread = threading.Thread(target=watch, args=(mini_dir, BuildOptions(doc_ids=("sheet",), jobs=1), out,
                                                   on_build, stop), kwargs={"reporter": events.append})
    thread.start()
    try:
        wait_for(1)
        assert [o.path.name for o in reports[0].outputs] == ["sheet_a4.pdf"]
        beta = mini_dir / "sources" / "sections" / "beta.yaml"
        good = beta.read_text()
        beta.write_text(good.replace("Beta is also short.", "Beta was edited."))
        wait_for(2)
        assert [o.path.name for o in reports[1].outputs] == ["sheet_a4.pdf"]
        assert [(e.kind, e.target.output_name) for e in events] == [("written", "sheet_a4.pdf")] * 2
        beta.write_text(good + "  - type: quiz\n")                      # a content error
        wait_for(3)
        assert "unknown block type 'quiz'" in str(reports[2])
        beta.write_text(good)                                           # fixed again
        wait_for(4)
        assert not reports[3].failed
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def dask_scheduler():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        yield cluster.scheduler_address


class _HarfBuzzSubset:
    """Stands for Debian's libharfbuzz-subset0 where it is not installed: using it fails."""

    def __bool__(self):
        return True

    def __getattr__(self, name):
        raise AssertionError(f"fonts were subset with HarfBuzz ({name})")


def test_the_same_inputs_give_the_same_bytes_every_way(mini_dir, tmp_path, monkeypatch, dask_scheduler):
    """One process; two worker processes, from another folder, with HarfBuzz's subsetter
    present and the clock years later; a Dask cluster: the same bytes each time."""
    import fontTools.misc.timeTools as font_time
    import weasyprint.pdf.fonts as weasy_fonts

    reference = run("-C", str(mini_dir), "build", "--all-conditions", "-j", "1", "--out", str(tmp_path / "one"))
    elsewhere = shutil.copytree(mini_dir, tmp_path / "another" / "folder" / "project")
    monkeypatch.setattr(weasy_fonts, "harfbuzz_subset", _HarfBuzzSubset())
    monkeypatch.setattr(font_time, "time", type("Clock", (), {"time": staticmethod(lambda: 2e9)}))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    workers = run("-C", str(elsewhere), "build", "--all-conditions", "-j", "2", "--out", str(tmp_path / "two"))
    dask = run("-C", str(mini_dir), "build", "--all-conditions", "--scheduler", dask_scheduler,
               "--out", str(tmp_path / "dask"))
    assert reference.exit_code == workers.exit_code == dask.exit_code == 0, (workers.output, dask.output)
    assert len(pdf_bytes(tmp_path / "one")) == 3
    assert pdf_bytes(tmp_path / "one") == pdf_bytes(tmp_path / "two") == pdf_bytes(tmp_path / "dask")
    manifest = lambda name: json.loads((tmp_path / name / "manifest.json").read_text())["files"]  # noqa: E731
    assert manifest("one") == manifest("dask")
    again = run("-C", str(mini_dir), "build", "--all-conditions", "--scheduler", dask_scheduler,
                "--out", str(tmp_path / "dask"))
    assert "3 file(s) unchanged" in again.output


def test_an_unreachable_scheduler_is_a_clear_error(mini_dir, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(importlib.import_module("ldnpub.build.dispatch"), "CONNECT_TIMEOUT_S", 1)
    result = run("-C", str(mini_dir), "build", "--scheduler", "tcp://127.0.0.1:9", "--out", str(mini_dir / "d"))
    assert result.exit_code == 2
    assert "error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output


def test_a_build_killed_while_replacing_a_file_leaves_a_manifest_that_tells_the_truth(mini_dir, monkeypatch):
    import hashlib
    import sys

    build_module = sys.modules["ldnpub.build.run"]  # the package's `build` is the function

    out = mini_dir / "dist"
    assert run("-C", str(mini_dir), "build", "-j", "1", "--out", str(out)).exit_code == 0
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text().replace("Beta is also short.", "Beta is short and changed."))
    real_write = build_module.write_atomic

    def killed_after_the_first_pdf(path, data):
        real_write(path, data)
        if path.suffix == ".pdf":
            raise KeyboardInterrupt  # the build dies right after replacing one file

    monkeypatch.setattr(build_module, "write_atomic", killed_after_the_first_pdf)
    with pytest.raises(KeyboardInterrupt):
        ldnpub.build(ldnpub.load_project(mini_dir), ldnpub.BuildOptions(jobs=1), out)
    entries = json.loads((out / "manifest.json").read_text())["files"]
    assert entries  # the untouched file is still listed
    for entry in entries:
        assert hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest() == entry["sha256"], entry["path"]
    assert not list(out.glob(".*.part"))


def test_outputs_get_the_users_umask(mini_dir):
    old = os.umask(0o022)
    try:
        assert run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(mini_dir / "dist")).exit_code == 0
    finally:
        os.umask(old)
    for name in ["sheet_a4.pdf", "manifest.json"]:
        assert (mini_dir / "dist" / name).stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("custom, dependency, before, after", [
    ('@import "extra.css";\n', "extra.css", "h1 { color: #123456; }\n", "h1 { color: #654321; }\n"),
    ("h1 { background: url(band.svg); }\n", "band.svg",
     '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="#eee"/></svg>',
     '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="#ddd"/></svg>'),
])
def test_a_file_read_through_css_is_an_input(mini_dir, custom, dependency, before, after):
    """A stylesheet's @import, or an image named by url() in CSS, is not in the HTML: the build
    records what WeasyPrint read and rebuilds when it changes."""
    styles = mini_dir / "styles"
    styles.mkdir()
    (styles / "custom.css").write_text(custom)
    (styles / dependency).write_text(before)
    out = mini_dir / "dist"
    assert run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(out)).exit_code == 0
    entry = json.loads((out / "manifest.json").read_text())["files"][0]
    assert str((styles / dependency).resolve()) in entry["inputs"]
    assert "unchanged" in run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(out)).output
    (styles / dependency).write_text(after)
    again = run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(out))
    assert "wrote sheet_a4.pdf" in again.output


def test_inputs_a_manifest_names_outside_the_project_are_never_read(mini_dir):
    out = mini_dir / "dist"
    assert run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(out)).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["files"][0]["inputs"] = {"/proc/self/mem": "0" * 64, "/etc/passwd": "0" * 64}
    (out / "manifest.json").write_text(json.dumps(manifest))
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(out))
    assert result.exit_code == 0 and "wrote sheet_a4.pdf" in result.output


def test_the_biggest_document_renders_first(mini_dir):
    """With workers, the longest job starts first, so none is left running alone at the end."""
    output = run("-C", str(mini_dir), "build", "sheet", "guide", "-j", "1", "--out", str(mini_dir / "dist")).output
    assert output.index("wrote guide_a5.pdf") < output.index("wrote sheet_a4.pdf")


def test_the_file_on_screen_renders_before_the_biggest(mini_dir):
    from ldnpub.build.run import build

    order = []
    build(ldnpub.load_project(mini_dir), BuildOptions(jobs=1), mini_dir / "dist",
          lambda event: order.append(event.target.output_name), first="sheet_a4.pdf")
    assert order == ["sheet_a4.pdf", "guide_a5.pdf"]
