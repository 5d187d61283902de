"""A page budget that holds: a document meant for one sheet is laid out again, tighter, when it runs
over (styles/fitting.css: margins and gaps, never the type), and the build warns where even that
does not fit."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run, text_sizes
from ldnpub.content.search import shipped_root


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    """The one-sheet leaflets on Letter, with and without a brand (each ran to two sheets before)."""
    out = tmp_path_factory.mktemp("budget")
    empty = tmp_path_factory.mktemp("empty")
    for extra in ([], ["--brand", "example-advocacy"]):
        result = run("-C", str(empty), "build", "what-is-ldn", "starting-ldn", "--paper", "letter", *extra,
                     "--out", str(out))
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("name", ["what-is-ldn_letter.pdf", "starting-ldn_letter.pdf",
                                  "what-is-ldn_example-advocacy_letter.pdf", "starting-ldn_example-advocacy_letter.pdf"])
def test_a_one_sheet_leaflet_stays_one_sheet_on_letter(letter, name):
    assert len(PdfReader(letter / name).pages) == 2


def test_fitting_never_makes_the_type_smaller(letter):
    sizes = text_sizes(letter / "what-is-ldn_letter.pdf")
    body = max(sizes, key=sizes.get)
    assert body >= 12


def _project_without_budgets(tmp_path: Path, budget: str = "") -> Path:
    project = tmp_path / "project"
    (project / "sources").mkdir(parents=True)
    catalog = (shipped_root() / "sources" / "catalog.yaml").read_text(encoding="utf-8")
    assert "    pages: 2  # one sheet, both sides\n" in catalog
    catalog = catalog.replace("    pages: 2  # one sheet, both sides\n", budget)
    (project / "sources" / "catalog.yaml").write_text(catalog, encoding="utf-8")
    return project


def test_without_its_budget_the_leaflet_takes_two_sheets(tmp_path):
    project = _project_without_budgets(tmp_path)
    result = run("-C", str(project), "build", "what-is-ldn", "--paper", "letter", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert len(PdfReader(tmp_path / "out" / "what-is-ldn_letter.pdf").pages) == 4


def test_a_budget_that_cannot_hold_is_a_warning_that_says_by_how_much(tmp_path):
    project = _project_without_budgets(tmp_path, "    pages: 1\n")
    result = run("-C", str(project), "build", "what-is-ldn", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert ("warning: what-is-ldn_a4.pdf: 2 pages, where the catalog means it to fit 1 page (1 more), even laid "
            "out tighter") in result.output
    assert "hint: shorten its sections, or change its pages: in catalog.yaml" in result.output
