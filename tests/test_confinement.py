"""Confinement: what a project names resolves inside it, the output folder is a real folder of
it, files are checked as opened, URLs are refused whatever their case, and what is refused is
named, never echoed. Each guard is tried on its own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run
from ldnpub.base.errors import ContentError
from ldnpub.pdf.writer import ProjectFetcher
from ldnpub.base.files import read_file

SECRET = "machine github.com login me password hunter2-secret-token\n"


# --- the output folder --------------------------------------------------------------------------

@pytest.mark.parametrize("out", ["dist", "a/b"])
def test_a_linked_output_folder_in_the_project_is_refused(mini_dir, tmp_path, out):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".keep.part").write_text("not the build's")
    first = out.split("/")[0]
    (mini_dir / first).symlink_to(elsewhere)
    if out != "dist":
        (mini_dir / "ldnpub.yaml").write_text(f"out: {out}\n")
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 1
    assert "is a symbolic link" in result.output
    assert sorted(p.name for p in elsewhere.rglob("*")) == [".keep.part"]


def test_an_output_folder_the_user_names_may_be_anywhere(mini_dir, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    assert run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--out", str(tmp_path / "link")).exit_code == 0
    assert (real / "sheet_a4.pdf").is_file()


# --- files are checked as opened ---------------------------------------------------------------

def test_a_file_read_through_a_link_out_of_its_folder_is_refused(tmp_path):
    """read_file alone: no earlier check on the name, the open file itself is judged."""
    outside = tmp_path / "outside.yaml"
    outside.write_text(SECRET)
    project = tmp_path / "project"
    project.mkdir()
    (project / "x.yaml").symlink_to(outside)
    with pytest.raises(ContentError) as refused:
        read_file(project / "x.yaml", 1000, inside=project)
    assert "leads outside the project" in str(refused.value) and "hunter2" not in str(refused.value)
    assert read_file(project / "x.yaml", 1000) == SECRET.encode()  # without `inside`, only bounded


def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "section.yaml")
    with pytest.raises(ContentError, match="not a regular file"):
        read_file(tmp_path / "section.yaml", 1000, inside=tmp_path)


def test_a_large_sparse_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as stream:
        stream.truncate(1_500_000_000)  # 1.5 GB of nothing: reading it whole would cost 3 GB
    with pytest.raises(ContentError, match="larger than 1,000,000 bytes"):
        read_file(big, 1_000_000, inside=tmp_path)


def test_a_linked_translations_folder_is_refused(mini_dir, tmp_path):
    elsewhere = tmp_path / "po"
    elsewhere.mkdir()
    assert run("-C", str(mini_dir), "translations", "extract", "es").exit_code == 0
    (mini_dir / "translations" / "es.po").rename(elsewhere / "es.po")
    (mini_dir / "translations").rmdir()
    (mini_dir / "translations").symlink_to(elsewhere)
    result = run("-C", str(mini_dir), "build", "sheet", "--language", "es", "--allow-untranslated", "-j", "1")
    assert result.exit_code == 2
    assert "leads outside the project" in result.output


# --- URLs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["FILE:///etc/hostname", "File:///etc/hostname", "file:///etc/hostname"])
def test_the_fetcher_refuses_files_outside_whatever_the_case(tmp_path, url):
    with pytest.raises(ValueError, match="outside the project"):
        ProjectFetcher((tmp_path,)).fetch(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x.css", "HTTPS://127.0.0.1:9/x.png", "ftp://127.0.0.1:9/x"])
def test_the_fetcher_alone_refuses_the_network(tmp_path, url):
    """The fetcher's own check, not WeasyPrint's allowed protocols, stops it."""
    fetcher = ProjectFetcher((tmp_path,))
    fetcher._allowed_protocols = None  # the second guard out of the way
    with pytest.raises(ValueError, match="URLs are not fetched"):
        fetcher.fetch(url)


def test_the_fetcher_reads_files_inside_and_records_them(tmp_path):
    (tmp_path / "a.css").write_text("p { color: black }")
    fetcher = ProjectFetcher((tmp_path,))
    response = fetcher.fetch((tmp_path / "a.css").as_uri().replace("file:", "FILE:"))
    assert response.read() == b"p { color: black }" and response.content_type == "text/css"
    assert list(fetcher.read) == [str((tmp_path / "a.css").resolve())]


def test_an_upper_case_file_url_in_a_stylesheet_fails_the_build(mini_dir):
    (mini_dir / "styles").mkdir()
    (mini_dir / "styles" / "custom.css").write_text('body { background: url("FILE:///etc/hostname") }\n')
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 1
    assert "outside the project" in result.output


# --- ldnpub.yaml: brands ------------------------------------------------------------------------

@pytest.mark.parametrize("entry", ["/etc/hostname", "../../secret.yaml", "brands/x.txt"])
def test_brands_in_the_project_file_stay_in_the_project(mini_dir, entry):
    (mini_dir / "ldnpub.yaml").write_text(f"brands: ['{entry}']\n")
    result = run("-C", str(mini_dir), "build", "sheet")
    assert result.exit_code == 2
    assert "ldnpub.yaml:1:" in result.output
    assert "expected a brand's name or a .yaml file inside the project" in result.output


def test_a_file_named_as_a_brand_is_named_not_echoed(mini_dir):
    (mini_dir / "netrc.yaml").write_text(SECRET)
    (mini_dir / "ldnpub.yaml").write_text("brands: [netrc.yaml]\n")
    result = run("-C", str(mini_dir), "build", "sheet")
    assert result.exit_code == 2
    assert "netrc.yaml" in result.output and "not a brand file" in result.output
    assert "hunter2" not in result.output


def test_a_brand_file_in_the_project_is_found_from_the_project(mini_dir, tmp_path, monkeypatch):
    from ldnpub.content.search import shipped_root

    brand = (shipped_root() / "sources" / "brands" / "example-clinic.yaml").read_text()
    (mini_dir / "clinic").mkdir()
    (mini_dir / "clinic" / "brand.yaml").write_text(brand.split("logo:")[0])
    (mini_dir / "ldnpub.yaml").write_text("brands: [clinic/brand.yaml]\n")
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 0, result.output


def test_a_long_text_where_a_value_was_expected_is_summarised(mini_dir):
    (mini_dir / "ldnpub.yaml").write_text("out: " + "x" * 200 + "\nbleed: [" + '"' + SECRET.strip() + '"]\n')
    result = run("-C", str(mini_dir), "build", "sheet")
    assert result.exit_code == 2
    assert "hunter2" not in result.output


def test_a_linked_layouts_folder_is_refused_for_its_partials_too(mini_dir, tmp_path):
    outside = tmp_path / "outside"
    (outside / "partials").mkdir(parents=True)
    (outside / "partials" / "head.html").write_text("<title>OUTSIDE</title>")
    (mini_dir / "layouts").symlink_to(outside)
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 1
    assert "partials/head.html: leads outside the project" in result.output


def test_of_the_shipped_files_only_their_content_folders_are_readable(tmp_path):
    from ldnpub.pdf.finish import readable_roots
    from ldnpub.content.search import shipped_root

    fetcher = ProjectFetcher(readable_roots((tmp_path, shipped_root())))
    assert fetcher.fetch((shipped_root() / "styles" / "base.css").as_uri()).read()
    with pytest.raises(ValueError, match="outside the project"):
        fetcher.fetch((Path(__file__)).as_uri())  # tests/ of a checkout, or anything beside the shipped folders
