"""No traceback for any input: each case gets a one-line message, exit 2 for bad input or usage,
1 for a failed build; watch and preview keep running through every event."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import importlib
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import FIXTURES, pdf_text, run
from ldnpub.build.options import BuildOptions
from ldnpub.base.errors import BuildError
from ldnpub.commands.watch import watch


def build(mini_dir: Path, *args: str, out: Path | None = None):
    return run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(out or mini_dir / "dist"), *args)


def test_an_output_folder_under_a_file_is_a_message(mini_dir):
    (mini_dir / "afile").write_text("")
    result = build(mini_dir, out=mini_dir / "afile" / "dist")
    assert result.exit_code == 1
    assert "afile/dist: error: cannot make the output folder: Not a directory" in result.output
    assert "Traceback" not in result.output


def test_a_full_disk_fails_the_build_and_the_manifest_tells_the_truth(mini_dir, monkeypatch):
    out = mini_dir / "dist"
    assert run("-C", str(mini_dir), "build", "-j", "1", "--out", str(out)).exit_code == 0
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    beta.write_text(beta.read_text().replace("Beta is also short.", "Beta was edited."))
    real_write = os.fdopen

    def full_disk(fd, mode="r", *args, **kwargs):
        stream = real_write(fd, mode, *args, **kwargs)
        if "w" in mode:
            stream.close()
            raise OSError(28, "No space left on device")
        return stream

    monkeypatch.setattr(os, "fdopen", full_disk)
    result = build(mini_dir)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "error: cannot write the file: No space left on device" in result.output
    assert "Traceback" not in result.output
    entries = json.loads((out / "manifest.json").read_text())["files"]
    for entry in entries:
        assert hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    assert not list(out.glob(".*.part"))


def test_a_manifest_with_foreign_entries_is_not_trusted(mini_dir):
    out = mini_dir / "dist"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"files": [{"path": 5}, {"path": "../../etc/passwd"}, "x"]}))
    result = build(mini_dir)
    assert result.exit_code == 0, result.output
    assert [e["path"] for e in json.loads((out / "manifest.json").read_text())["files"]] == ["sheet_a4.pdf"]


def test_a_build_without_out_writes_into_the_projects_dist(mini_dir, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (mini_dir / "dist" / "sheet_a4.pdf").is_file()
    assert not list(elsewhere.rglob("*.pdf"))


def test_a_layout_that_raises_is_located(mini_dir):
    (mini_dir / "layouts").mkdir()
    (mini_dir / "layouts" / "leaflet.html").write_text("<html lang='en'><title>x</title>\n<p>{{ 1/0 }}</p>\n</html>")
    result = build(mini_dir)
    assert result.exit_code == 1
    assert "layouts/leaflet.html:2: error: sheet_a4.pdf: division by zero" in result.output
    assert "Traceback" not in result.output


def test_html_of_a_layout_without_a_head_keeps_its_styles(mini_dir):
    (mini_dir / "layouts").mkdir()
    (mini_dir / "layouts" / "leaflet.html").write_text(
        "<html lang='en'><title>{{ e.document.title }}</title><p>Plain page</p></html>")
    result = build(mini_dir, "--html")
    assert result.exit_code == 0, result.output
    html = (mini_dir / "dist" / "sheet_a4.html").read_text()
    assert html.startswith("<style>") and "Plain page" in html


def test_a_qr_address_too_long_to_print_is_bad_input(mini_dir):
    brand = mini_dir / "brand.yaml"
    brand.write_text('name: "Clinic"\nqr: "https://clinic.example/' + "a" * 400 + '"\n')
    result = build(mini_dir, "--brand", str(brand))
    assert result.exit_code == 2
    assert "brand.yaml:2:5: error: qr: expected at most 300 characters, found 423" in result.output


@pytest.mark.parametrize("address", ["garbage", "tcp://", "http://host:port", "host:99999999"])
def test_a_scheduler_address_is_checked_before_anything_is_built(mini_dir, address):
    result = build(mini_dir, "--scheduler", address)
    assert result.exit_code == 2
    assert f"error: --scheduler: expected an address such as tcp://10.0.0.5:8786, found {address!r}" in result.output
    assert not (mini_dir / "dist").exists()


def test_a_cluster_without_workers_fails_after_a_timeout(mini_dir, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(importlib.import_module("ldnpub.build.dispatch"), "WORKER_TIMEOUT_S", 2)
    with distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=None) as cluster:
        result = build(mini_dir, "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 2
    assert f"the Dask scheduler at {cluster.scheduler_address} has no workers (waited 2 s)" in result.output


def test_impose_into_a_missing_folder_is_a_message(mini_dir):
    assert run("-C", str(mini_dir), "build", "guide", "-j", "1", "--out", str(mini_dir / "dist")).exit_code == 0
    result = run("impose", str(mini_dir / "dist" / "guide_a5.pdf"), str(mini_dir / "missing" / "spreads.pdf"))
    assert result.exit_code == 1
    assert "missing/spreads.pdf: error: cannot write the file: No such file or directory" in result.output


@pytest.mark.parametrize("command", [["init", "{file}/project"], ["schema", "--out", "{file}/schemas"]])
def test_writing_where_nothing_can_be_written_is_a_message(tmp_path, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run(*(part.format(file=blocker) for part in command))
    assert result.exit_code == 1
    assert f"{blocker}/" in result.output and "error: Not a directory" in result.output
    assert "Traceback" not in result.output


class Watcher:
    """watch() in a thread, with each build's report kept."""

    def __init__(self, project: Path, out: Path):
        self.reports: list = []
        self.arrived = threading.Condition()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=watch, args=(project, BuildOptions(doc_ids=("sheet",), jobs=1), out,
                                                           self.on_build, self.stop))

    def on_build(self, report) -> None:
        with self.arrived:
            self.reports.append(report)
            self.arrived.notify_all()

    def wait_for(self, count: int) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.reports) >= count, timeout=60), self.reports

    def __enter__(self):
        self.thread.start()
        self.wait_for(1)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


def _dangling_symlink(sections: Path) -> None:
    (sections / "gone.yaml").symlink_to(sections / "no-such-file.yaml")


def _folder_named_yaml(sections: Path) -> None:
    (sections / "folder.yaml").mkdir()


def _control_character(sections: Path) -> None:
    beta = sections / "beta.yaml"
    beta.write_text(beta.read_text().replace("Beta is also short.", "Beta \x07 bell."))


def _rename_storm(sections: Path) -> None:
    text = (sections / "beta.yaml").read_text()
    for number in range(60):
        temporary = sections / f".beta-{number}.yaml"
        temporary.write_text(text)
        temporary.replace(sections / "beta.yaml")


@pytest.mark.parametrize("event", [_dangling_symlink, _folder_named_yaml, _control_character, _rename_storm])
def test_watch_survives_and_rebuilds_after(mini_dir, event):
    sections = mini_dir / "sources" / "sections"
    good = (sections / "beta.yaml").read_text()
    with Watcher(mini_dir, mini_dir / "dist") as watcher:
        event(sections)
        watcher.wait_for(2)
        seen = len(watcher.reports)
        (sections / "beta.yaml").write_text(good.replace("Beta is also short.", "Beta was edited."))
        watcher.wait_for(seen + 1)
        assert watcher.thread.is_alive()
        with watcher.arrived:
            assert watcher.arrived.wait_for(
                lambda: any(getattr(r, "outputs", ()) and not r.failed for r in watcher.reports[seen:]), timeout=60)
    assert "Beta was edited." in pdf_text(mini_dir / "dist" / "sheet_a4.pdf")


def test_watch_into_the_project_folder_still_rebuilds(mini_dir):
    with Watcher(mini_dir, mini_dir) as watcher:
        assert (mini_dir / "sheet_a4.pdf").is_file()
        beta = mini_dir / "sources" / "sections" / "beta.yaml"
        beta.write_text(beta.read_text().replace("Beta is also short.", "Beta was edited."))
        watcher.wait_for(2)
        assert [o.path.name for o in watcher.reports[-1].outputs] == ["sheet_a4.pdf"]


def test_a_taken_port_is_explained(mini_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("-C", str(mini_dir), "preview", "--port", str(port))
    assert result.exit_code == 2
    assert f"error: cannot listen on 127.0.0.1:{port}: Address already in use" in result.output
    assert f"use --port {port + 1}" in result.output
    assert "Preview at" not in result.output


def test_the_preview_listens_on_this_machine_only():
    from ldnpub.commands.preview.server import listen

    with listen(0) as sock:
        assert sock.getsockname()[0] == "127.0.0.1"


def test_one_ctrl_c_stops_the_preview_with_a_page_connected(mini_dir):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", "from ldnpub.commands.cli import main; main()", "-C", str(mini_dir), "preview", "sheet",
         "-j", "1", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if int(httpx.get(url + "/version").text) >= 1:
                    break
            except (httpx.TransportError, ValueError):
                pass
            time.sleep(0.2)
        with httpx.stream("GET", url + "/events", timeout=30) as events:
            next(events.iter_lines())  # the page is connected and listening
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)  # a guard against a hang, not a speed test
    finally:
        process.kill()
    output = process.stdout.read() + process.stderr.read()
    assert "Traceback" not in output, output


def test_the_rebuild_loop_outlives_an_error_inside_it(tmp_path, monkeypatch):
    import shutil

    from ldnpub.commands.preview.server import Previewer

    project = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    shown: list = []
    previewer = Previewer(project, BuildOptions(doc_ids=("sheet",), jobs=1), project / "dist", shown.extend)
    calls = {"n": 0}
    real_check = Previewer._check

    def check_fails_once(self):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a bug in a check")
        return real_check(self)

    monkeypatch.setattr(Previewer, "_check", check_fails_once)
    previewer.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("a bug in a check" in p.message for p in shown):
            time.sleep(0.1)
        assert any("the rebuild failed" in p.message for p in previewer.state.problems)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not previewer.state.documents:
            time.sleep(0.1)
        assert [d.name for d in previewer.state.documents] == ["sheet_a4.pdf"]
        assert previewer.thread.is_alive()
    finally:
        previewer.close()


def test_write_errors_are_build_errors(tmp_path):
    from ldnpub.base.files import write_atomic

    with pytest.raises(BuildError) as raised:
        write_atomic(tmp_path / "missing" / "file.pdf", b"x")
    assert "cannot write the file" in str(raised.value)


def test_worker_processes_remove_their_font_folders(mini_dir, tmp_path, monkeypatch):
    """Each process keeps one WeasyPrint font configuration (its @font-face files in a temporary
    folder) for all its documents; pool workers end with os._exit, and must still remove theirs."""
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # the forked workers inherit it
    result = run("-C", str(mini_dir), "build", "--force", "-j", "2", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 0, result.output
    assert "2 PDF(s) written" in result.output
    assert sorted(p.name for p in scratch.iterdir() if p.name.startswith("weasyprint-")) == []


def _children(pid: int) -> list[int]:
    """The processes whose parent is pid (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from Linux's /proc")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_watch_ends_cleanly_and_takes_its_workers_with_it(mini_dir, stop):
    # SIGUSR1 dumps every thread's stack (faulthandler): a watch that does not end says where it is.
    code = ("import faulthandler, signal; faulthandler.register(signal.SIGUSR1, all_threads=True); "
            "from ldnpub.commands.cli import main; main()")
    process = subprocess.Popen(
        [sys.executable, "-c", code, "-C", str(mini_dir), "watch", "sheet", "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        lines = []
        for line in process.stdout:  # until the first build is done and the watch runs
            lines.append(line)
            if line.startswith("watching"):
                break
        workers = _children(process.pid)
        assert workers, "".join(lines)
        if stop == signal.SIGINT:
            os.killpg(process.pid, stop)  # Ctrl+C in a terminal reaches the whole process group
        else:
            process.send_signal(stop)  # `kill PID`: the watch alone
        # Both pipes drained while it ends (a full stderr pipe would block it), with a guard
        # against a hang, not a speed test.
        try:
            stdout, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGUSR1)
            time.sleep(1)
            process.kill()
            stdout, stderr = process.communicate()
            pytest.fail(f"the watch did not end; its threads:\n{stderr[-6000:]}")
    finally:
        process.kill()
    output = "".join(lines) + stdout + stderr
    assert process.returncode == 0, output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
