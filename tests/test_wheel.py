"""The package as a user installs it: a wheel (not editable) builds the catalog from any folder."""

from __future__ import annotations

import site
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel of this checkout installed (dependencies
    come from the current environment, so nothing is downloaded)."""
    if not (REPO / "pyproject.toml").is_file():
        pytest.skip("needs the source checkout")
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(work / "wheels"), str(REPO)], check=True)
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    python = work / "venv" / "bin" / "python"
    # The dependencies come from this environment (appended to sys.path, after the venv's own).
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "outer.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    wheel = next((work / "wheels").glob("ldnpub-*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--ignore-installed", str(wheel)], check=True)
    return work / "venv" / "bin"


def test_the_wheel_ships_the_default_content(installed):
    out = subprocess.run([str(installed / "python"), "-c",
                          "import ldnpub.content.search as p; print(p.shipped_root())"],
                         capture_output=True, text=True, check=True, cwd="/")
    shipped = Path(out.stdout.strip())
    assert shipped.is_relative_to(installed.parent)          # the installed copy, not the checkout
    for relative in ["sources/publication.yaml", "sources/sections/questions.yaml",
                     "layouts/booklet.html", "styles/base.css"]:
        assert (shipped / relative).is_file(), relative


def test_the_installed_command_builds_in_an_empty_folder(installed, tmp_path):
    result = subprocess.run([str(installed / "ldnpub"), "build", "what-is-ldn"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "dist" / "what-is-ldn_a4.pdf"
    assert len(PdfReader(pdf).pages) in (2, 4)
    assert (tmp_path / "dist" / "manifest.json").is_file()
