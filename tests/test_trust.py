"""Build state from the project is never trusted: "unchanged" and the render cache believe only
records this user's ldnpub sealed; the cache folder is this user's own, and clearing it never
leaves it."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from conftest import run
from ldnpub.base.userdata import CACHE_DIR_ENV


def build(project: Path, *args: str):
    return run("-C", str(project), "build", "sheet", "-j", "1", *args)


def forge(dist: Path, keep_seal: bool) -> bytes:
    """Replace the built PDF with other bytes and make its manifest entry agree with them."""
    forged = b"%PDF-1.7\n% not what ldnpub rendered\n"
    (dist / "sheet_a4.pdf").write_bytes(forged)
    manifest = json.loads((dist / "manifest.json").read_text())
    entry = manifest["files"][0]
    entry.update(sha256=hashlib.sha256(forged).hexdigest(), inputs={})
    if not keep_seal:
        entry.pop("seal")
    (dist / "manifest.json").write_text(json.dumps(manifest))
    return forged


@pytest.mark.parametrize("keep_seal", [False, True])
def test_a_forged_pdf_with_a_matching_manifest_entry_is_rendered_again(mini_dir, keep_seal):
    assert build(mini_dir).exit_code == 0
    forged = forge(mini_dir / "dist", keep_seal)
    result = build(mini_dir)
    assert result.exit_code == 0, result.output
    assert "wrote sheet_a4.pdf" in result.output
    assert (mini_dir / "dist" / "sheet_a4.pdf").read_bytes() != forged
    entry = json.loads((mini_dir / "dist" / "manifest.json").read_text())["files"][0]
    assert entry["inputs"] and entry["sha256"] != hashlib.sha256(forged).hexdigest()


def test_a_project_that_arrives_with_its_own_dist_gets_every_document_rendered(mini_dir, tmp_path, monkeypatch):
    """Built by someone else (another user's key): nothing of it counts as unchanged."""
    assert run("-C", str(mini_dir), "build", "-j", "1").exit_code == 0
    other = tmp_path / "another-users-cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(other))
    result = run("-C", str(mini_dir), "build", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "unchanged" not in result.output and result.output.count("] wrote") == 2


def test_the_same_users_unchanged_build_is_still_skipped(mini_dir):
    assert build(mini_dir).exit_code == 0
    os.utime(mini_dir / "sources" / "publication.yaml")  # past the no-op stamp, to the manifest
    assert "unchanged sheet_a4.pdf" in build(mini_dir).output


def test_a_planted_render_cache_record_is_not_used(mini_dir, tmp_path, render_cache):
    assert build(mini_dir, "--out", str(tmp_path / "one")).exit_code == 0
    record = next(render_cache.glob("??/*.json"))
    forged = b"%PDF-1.7\n% planted\n"
    record.with_suffix(".pdf").write_bytes(forged)
    meta = json.loads(record.read_text())
    meta.update(sha256=hashlib.sha256(forged).hexdigest(), inputs=[])
    record.write_text(json.dumps(meta))
    result = build(mini_dir, "--out", str(tmp_path / "two"))
    assert result.exit_code == 0 and "from the cache" not in result.output
    assert (tmp_path / "two" / "sheet_a4.pdf").read_bytes() != forged


def test_a_render_cache_record_is_used_when_it_is_ours(mini_dir, tmp_path):
    assert build(mini_dir, "--out", str(tmp_path / "one")).exit_code == 0
    assert "from the cache" in build(mini_dir, "--out", str(tmp_path / "two")).output


def test_a_cache_folder_others_can_write_to_is_refused(mini_dir, render_cache):
    render_cache.chmod(0o777)
    result = build(mini_dir)
    assert result.exit_code == 2
    assert f"{render_cache}: error: the render cache folder can be written by other users" in result.output
    render_cache.chmod(0o700)


def test_cache_clear_never_leaves_the_cache(mini_dir, tmp_path, render_cache):
    assert build(mini_dir).exit_code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.json").write_text("{}")
    (outside / "precious.pdf").write_text("keep me")
    (render_cache / "zz").symlink_to(outside)
    (render_cache / "aa").mkdir()
    (render_cache / "aa" / "link.json").symlink_to(outside / "precious.json")
    result = run("cache", "clear")
    assert result.exit_code == 0
    assert sorted(p.name for p in outside.iterdir()) == ["precious.json", "precious.pdf"]
    assert not list(render_cache.glob("[0-9a-f][0-9a-f]/*.pdf"))


def test_a_cache_folder_in_an_unknown_home_is_a_message(mini_dir, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, "~nosuchuser-ldnpub/x")
    result = build(mini_dir)
    assert result.exit_code == 2
    assert "LDNPUB_CACHE_DIR: no such home folder" in result.output


def test_an_unreadable_manifest_is_set_aside_with_a_message(mini_dir):
    assert build(mini_dir).exit_code == 0
    (mini_dir / "dist" / "manifest.json").write_text('{"files": [')  # cut short
    result = build(mini_dir)
    assert result.exit_code == 0, result.output
    assert "manifest.json: warning: not a manifest ldnpub can read: set aside as manifest.json.unreadable" \
        in result.output
    assert (mini_dir / "dist" / "manifest.json.unreadable").read_text() == '{"files": ['
    assert "wrote sheet_a4.pdf" in result.output
    assert json.loads((mini_dir / "dist" / "manifest.json").read_text())["files"]


def test_a_tls_scheduler_without_tls_settings_is_a_message(mini_dir):
    result = build(mini_dir, "--scheduler", "tls://[::1]:0")
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tls://[::1]:0" in result.output


@pytest.mark.parametrize("plant", ["fifo", "zero"])
def test_a_manifest_that_is_no_file_is_set_aside_not_read(mini_dir, plant):
    dist = mini_dir / "dist"
    dist.mkdir()
    if plant == "fifo":
        os.mkfifo(dist / "manifest.json")
    else:
        (dist / "manifest.json").symlink_to("/dev/zero")
    result = build(mini_dir)
    assert result.exit_code == 0, result.output
    assert "set aside as manifest.json.unreadable" in result.output
    assert json.loads((dist / "manifest.json").read_text())["files"]
