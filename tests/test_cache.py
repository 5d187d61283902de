"""The render cache: a PDF rendered once is copied, not rendered, by any later build of the same
inputs, into any folder, from any checkout; a changed input renders again."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import run
from ldnpub.build.cache import CACHE_SIZE_ENV, RenderCache, _size
from ldnpub.base.errors import UsageError
from ldnpub.pdf.finish import PdfResult


def build(project: Path, out: Path, *args: str):
    result = run("-C", str(project), "build", "-j", "1", "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_build_into_a_new_folder_copies_what_was_rendered(mini_dir, render_cache):
    first = build(mini_dir, mini_dir / "one")
    assert "from the cache" not in first
    second = build(mini_dir, mini_dir / "two")
    assert "wrote guide_a5.pdf (8 pages, from the cache)" in second
    assert "2 PDF(s) written to" in second and "(2 copied from the render cache)" in second
    for name in ("guide_a5.pdf", "sheet_a4.pdf"):
        assert (mini_dir / "one" / name).read_bytes() == (mini_dir / "two" / name).read_bytes()
    entries = {e["path"]: e for e in json.loads((mini_dir / "two" / "manifest.json").read_text())["files"]}
    assert entries["guide_a5.pdf"]["pages"] == 8 and entries["guide_a5.pdf"]["inputs"]
    assert "unchanged" in build(mini_dir, mini_dir / "two")  # the manifest's record holds


def test_a_second_checkout_reuses_the_first_ones_renders(mini_dir, tmp_path):
    build(mini_dir, tmp_path / "one")
    elsewhere = tmp_path / "elsewhere" / "mini"
    shutil.copytree(mini_dir, elsewhere, ignore=shutil.ignore_patterns("one"))
    assert "(2 copied from the render cache)" in build(elsewhere, tmp_path / "two")


def test_a_changed_input_renders_again_and_force_always_renders(mini_dir):
    styles = mini_dir / "styles"
    styles.mkdir()
    (styles / "custom.css").write_text('@import "extra.css";\n')
    (styles / "extra.css").write_text("h1 { color: #123456; }\n")
    build(mini_dir, mini_dir / "one", "sheet")
    (styles / "extra.css").write_text("h1 { color: #654321; }\n")  # not in the HTML: only an input
    assert "from the cache" not in build(mini_dir, mini_dir / "two", "sheet")
    assert "from the cache" in build(mini_dir, mini_dir / "three", "sheet")
    assert "from the cache" not in build(mini_dir, mini_dir / "four", "sheet", "--force")


def test_an_edit_undone_is_copied_back(mini_dir):
    section = mini_dir / "sources" / "sections" / "alpha.yaml"
    original = section.read_text()
    build(mini_dir, mini_dir / "dist")
    section.write_text(original.replace("Alpha is short.", "Alpha is brief."))
    assert "wrote guide_a5.pdf (8 pages)" in build(mini_dir, mini_dir / "dist")
    section.write_text(original)
    assert "wrote guide_a5.pdf (8 pages, from the cache)" in build(mini_dir, mini_dir / "dist")


def test_the_cache_commands_and_the_size_limit(mini_dir, render_cache, monkeypatch):
    build(mini_dir, mini_dir / "dist")
    info = run("cache", "info").output
    assert f"{render_cache}: 2 PDF(s)" in info and "of 500.0 MB" in info
    cleared = run("cache", "clear")
    assert cleared.exit_code == 0 and "MB freed" in cleared.output
    assert ": 0 PDF(s)" in run("cache", "info").output
    build(mini_dir, mini_dir / "again", "--force")
    sizes = sorted(pdf.stat().st_size + pdf.with_suffix(".json").stat().st_size
                   for pdf in render_cache.glob("*/*.pdf"))
    monkeypatch.setenv(CACHE_SIZE_ENV, f"{(sizes[0] + 100) / 2**20}MB")  # room for the smaller one only
    build(mini_dir, mini_dir / "third", "--force")
    assert ": 1 PDF(s)" in run("cache", "info").output
    monkeypatch.setenv("LDNPUB_CACHE_DIR", "off")
    assert "the render cache is off" in run("cache", "info").output
    assert "from the cache" not in build(mini_dir, mini_dir / "off")


def test_an_entry_is_used_only_while_its_inputs_and_bytes_are_as_recorded(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    font = root / "font.ttf"
    font.write_bytes(b"font")
    cache = RenderCache(tmp_path / "cache")
    digest = hashlib.sha256(b"font").hexdigest()
    cache.put("ab" * 32, PdfResult(b"%PDF-1.7 one", 3, ((str(font.resolve()), digest),)), (root,))
    found = cache.get("ab" * 32, (root,))
    assert found == PdfResult(b"%PDF-1.7 one", 3, ((str(font.resolve()), digest),))
    assert cache.get("cd" * 32, (root,)) is None
    font.write_bytes(b"another font")
    assert cache.get("ab" * 32, (root,)) is None
    font.write_bytes(b"font")
    (tmp_path / "cache" / "ab" / f"{'ab' * 32}.pdf").write_bytes(b"%PDF-1.7 tampered")
    assert cache.get("ab" * 32, (root,)) is None


def test_an_input_outside_the_roots_is_never_cached_or_read(tmp_path):
    cache = RenderCache(tmp_path / "cache")
    cache.put("ab" * 32, PdfResult(b"%PDF", 1, (("/etc/passwd", "0" * 64),)), (tmp_path / "project",))
    assert cache.info().files == 0
    record = tmp_path / "cache" / "cd" / f"{'cd' * 32}.json"
    record.parent.mkdir(parents=True)
    (record.with_suffix(".pdf")).write_bytes(b"%PDF")
    record.write_text(json.dumps({"pages": 1, "sha256": "0" * 64, "inputs": [[0, "../../etc/passwd", "0" * 64]]}))
    assert cache.get("cd" * 32, (tmp_path,)) is None


def test_the_least_recently_used_go_first(tmp_path):
    cache = RenderCache(tmp_path / "cache", limit=2800)  # two entries of 1000 bytes and a record
    for age, key in ((1000, "aa"), (2000, "bb")):
        cache.put(key * 32, PdfResult(bytes(1000), 1), ())
        os.utime(tmp_path / "cache" / key / f"{key * 32}.json", (age, age))  # bb used last
    assert cache.get("aa" * 32, ()) is not None  # now aa is
    cache.put("cc" * 32, PdfResult(bytes(1000), 1), ())
    kept = sorted(path.stem[:2] for path in (tmp_path / "cache").glob("*/*.pdf"))
    assert kept == ["aa", "cc"]


@pytest.mark.parametrize("text, size", [("", 500 * 2**20), ("2GB", 2 * 2**30), ("1.5 gb", int(1.5 * 2**30)),
                                        ("300", 300 * 2**20), ("64M", 64 * 2**20)])
def test_cache_sizes(text, size):
    assert _size(text) == size


def test_a_bad_cache_size_is_a_message():
    with pytest.raises(UsageError, match="expected a size such as 500MB"):
        _size("lots")


def test_a_cache_that_cannot_be_written_never_fails_the_build(mini_dir, monkeypatch):
    blocker = mini_dir / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("LDNPUB_CACHE_DIR", str(blocker))
    assert "2 PDF(s) written to" in build(mini_dir, mini_dir / "dist")
    assert "from the cache" not in build(mini_dir, mini_dir / "two")


@pytest.fixture
def no_loading(monkeypatch):
    """Loading the project fails the test: a no-op build must be known without it."""
    import ldnpub.content.load

    def refuse(*args, **kwargs):
        raise AssertionError("the project was loaded")

    return lambda: monkeypatch.setattr(ldnpub.content.load, "load_project", refuse)


def test_an_unchanged_build_is_known_from_its_stamp_without_loading_the_project(mini_dir, no_loading):
    out = mini_dir / "dist"
    first = build(mini_dir, out)
    no_loading()
    again = build(mini_dir, out)
    assert "[1/2] unchanged guide_a5.pdf" in again and "[2/2] unchanged sheet_a4.pdf" in again
    assert "0 PDF(s) written to" in again and "2 file(s) unchanged since the last build" in again
    assert "wrote" in first


def test_what_a_stamp_does_not_cover_builds_the_long_way(mini_dir, tmp_path, monkeypatch):
    out = mini_dir / "dist"
    build(mini_dir, out)
    section = mini_dir / "sources" / "sections" / "beta.yaml"
    section.write_text(section.read_text().replace("Beta is also short.", "Beta was edited."))
    assert "wrote sheet_a4.pdf" in build(mini_dir, out)              # a source edited
    (out / "sheet_a4.pdf").unlink()
    assert "wrote sheet_a4.pdf" in build(mini_dir, out)              # an output deleted
    assert "wrote" in build(mini_dir, out, "--paper", "letter")      # other options
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    relative = run("-C", str(mini_dir), "build", "-j", "1", "--out", "dist")
    assert (elsewhere / "dist" / "sheet_a4.pdf").is_file(), relative.output   # --out dist from another folder


def test_a_brand_file_outside_the_project_is_part_of_the_stamp(mini_dir, tmp_path):
    from ldnpub.content.search import shipped_root

    brands = tmp_path / "our-clinic"
    shutil.copytree(shipped_root() / "sources" / "brands", brands)
    brand = brands / "example-clinic.yaml"
    out = mini_dir / "dist"
    build(mini_dir, out, "sheet", "--brand", str(brand))
    assert "unchanged" in build(mini_dir, out, "sheet", "--brand", str(brand))
    brand.write_text(brand.read_text().replace("(212) 555-0142", "(212) 555-0199"))
    assert "wrote sheet_example-clinic_a4.pdf" in build(mini_dir, out, "sheet", "--brand", str(brand))
    logo = brands / "example-clinic-logo.svg"
    logo.write_text(logo.read_text().replace("</svg>", "<!-- changed --></svg>"))
    assert "wrote sheet_example-clinic_a4.pdf" in build(mini_dir, out, "sheet", "--brand", str(brand))


def test_the_command_line_and_the_package_import_no_heavy_library():
    """What a no-op build imports: neither pydantic, Jinja2, pypdf nor WeasyPrint."""
    import subprocess
    import sys

    code = ("import sys, ldnpub.commands.cli, ldnpub.build.cache; "
            "print([m for m in ('pydantic', 'jinja2', 'pypdf', 'weasyprint') if m in sys.modules])")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"


def test_the_package_keeps_its_functions_when_their_modules_are_imported():
    import ldnpub
    import ldnpub.build.run
    import ldnpub.prepress.impose

    assert callable(ldnpub.build) and ldnpub.build.__name__ == "build"
    assert ldnpub.impose.__name__ == "impose" and callable(ldnpub.plan)


def test_two_builds_into_one_folder_each_keep_their_stamp(mini_dir, no_loading):
    """A build with nothing to do rewrites no file, the manifest included, so two different
    builds into one folder do not spoil each other's stamps."""
    out = mini_dir / "dist"
    build(mini_dir, out, "sheet")
    build(mini_dir, out, "guide")
    manifest = (out / "manifest.json").stat().st_mtime_ns
    build(mini_dir, out, "sheet")
    build(mini_dir, out, "guide")
    assert (out / "manifest.json").stat().st_mtime_ns == manifest
    no_loading()
    assert "unchanged sheet_a4.pdf" in build(mini_dir, out, "sheet")
    assert "unchanged guide_a5.pdf" in build(mini_dir, out, "guide")


def test_html_beside_the_pdfs_is_always_written_again(mini_dir):
    out = mini_dir / "dist"
    build(mini_dir, out, "sheet", "--html")
    (out / "sheet_a4.html").unlink()
    build(mini_dir, out, "sheet", "--html")
    assert (out / "sheet_a4.html").is_file()
