"""The pipeline's stages called directly, rung by rung: project -> plan -> edition -> HTML page.

No WeasyPrint here: these run in well under a second. The golden HTML of the mini project, and of
the shipped tri-fold, source article and Spanish leaflet (tests/golden/shipped/), is in
tests/golden/; after a deliberate change to a layout or to tailoring, refresh it with
`pytest tests/test_ladder.py --update-golden` and read the diff before committing it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES
from ldnpub.build.options import BuildOptions
from ldnpub.build.plan import plan
from ldnpub.base.errors import UsageError
from ldnpub.pdf.finish import print_spec
from ldnpub.render.html import render
from ldnpub.edition.tailor import tailor
from ldnpub.base.targets import BuildTarget
from ldnpub.content.load import load_project

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def project():
    return load_project(FIXTURES / "mini")


@pytest.fixture(scope="module")
def guide_x(project):
    return tailor(project, BuildTarget("guide", "a4", "cond-x"))


@pytest.fixture(scope="module")
def guide(project):
    return tailor(project, BuildTarget("guide", "a4"))


# --- plan ---------------------------------------------------------------------------------------

def test_plan_builds_every_document_once_without_conditions(project):
    assert [t.output_name for t in plan(project)] == ["guide_a5.pdf", "sheet_a4.pdf"]


def test_plan_tailors_only_tailored_documents_per_condition(project):
    names = [t.output_name for t in plan(project, BuildOptions(all_conditions=True, variants=("standard", "large-print")))]
    assert names == ["guide_cond-x_a5.pdf", "guide_cond-x_large-print_a5.pdf", "guide_cond-y_a5.pdf",
                     "guide_cond-y_large-print_a5.pdf", "sheet_a4.pdf", "sheet_large-print_a4.pdf"]


def test_plan_carries_brand_bleed_and_marks_into_every_name(project):
    targets = plan(project, BuildOptions(doc_ids=("sheet",), papers=("letter",), bleed="0.125in", crop_marks=True),
                   brands=["clinic"])
    assert [t.output_name for t in targets] == ["sheet_clinic_letter_bleed-0.125in_crop.pdf"]


@pytest.mark.parametrize("options, message", [
    (BuildOptions(doc_ids=("gide",)), "unknown document 'gide'"),
    (BuildOptions(conditions=("cond-z",)), "unknown condition 'cond-z'"),
    (BuildOptions(bleed="3 furlongs"), "--bleed: expected a length"),
])
def test_plan_refuses_what_does_not_exist(project, options, message):
    with pytest.raises(UsageError, match=message):
        plan(project, options)


# --- tailor -------------------------------------------------------------------------------------

def test_a_condition_edition_keeps_its_own_blocks_only(project, guide, guide_x):
    def texts(edition):
        return " ".join(str(b.text) for s in edition.sections for sub in s.subsections for b in sub.blocks)

    assert "Only for the x condition." in texts(guide_x)
    assert "Only for the x condition." not in texts(guide)
    assert [s.id for s in guide_x.sections] == ["alpha", "condition-cond-x", "beta"]
    assert [s.id for s in guide.sections] == ["alpha", "beta"]


def test_references_are_numbered_in_order_of_first_citation(guide):
    assert [(r.number, r.key) for r in guide.references] == [(1, "second2002"), (2, "first2001")]
    beta = next(s for s in guide.sections if s.id == "beta")
    numbers = re.findall(r'href="#ref-([\w-]+)">(\d+)<', str(beta.blocks[0].text))
    assert numbers == [("first2001", "2"), ("second2002", "1"), ("first2001", "2")]


def test_the_glossary_holds_only_the_terms_the_edition_uses(guide):
    assert [g.term for g in guide.glossary] == ["widget"]  # "Widgets" is used; "gizmo" never is


def test_facts_are_filled_in(guide):
    alpha = guide.sections[0]
    assert "{{" not in str(alpha.key_points[0]) and "dose" in str(alpha.key_points[0])


def test_the_print_spec_follows_the_catalog_and_the_variant(project):
    booklet = print_spec(project, tailor(project, BuildTarget("guide", "a4", layout="booklet")))
    large = print_spec(project, tailor(project, BuildTarget("sheet", "a4", variant="large-print")))
    assert (booklet.page_multiple, booklet.saddle_stitched, booklet.identifier) == (4, True, "guide_a5.pdf")
    assert (large.max_pages, large.saddle_stitched) == (None, False)
    assert print_spec(project, tailor(project, BuildTarget("sheet", "a4"))).max_pages == 2


# --- render: golden HTML ------------------------------------------------------------------------

GOLDEN_TARGETS = [BuildTarget("guide", "a4", "cond-x"), BuildTarget("sheet", "letter", variant="high-contrast")]


def _stable(html: str) -> str:
    """The HTML without this machine's paths (file: URLs of fonts, icons and the project)."""
    return re.sub(r"file://[^\"')\s]*/", "file:///…/", html)


@pytest.mark.parametrize("target", GOLDEN_TARGETS, ids=lambda t: t.html_name)
def test_the_html_matches_its_golden_copy(project, target, request):
    html = _stable(render(project, tailor(project, target)).html)
    golden = GOLDEN / target.html_name
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert golden.is_file(), f"no golden copy: run pytest {__file__} --update-golden"
    assert html == golden.read_text(encoding="utf-8"), (
        f"{target.html_name} differs from tests/golden/: if the change is meant, run pytest --update-golden")


def test_plan_spans_every_brand_and_paper(project):
    targets = plan(project, BuildOptions(doc_ids=("sheet",), papers=("a4", "letter")), brands=["north", "south"])
    assert [t.output_name for t in targets] == ["sheet_north_a4.pdf", "sheet_north_letter.pdf",
                                                 "sheet_south_a4.pdf", "sheet_south_letter.pdf"]


# The shipped content's other layouts and its Spanish edition: every layout has a golden copy.
SHIPPED_GOLDEN = [BuildTarget("at-a-glance", "a4", layout="trifold"),
                  BuildTarget("source-article", "a4", layout="article"),
                  BuildTarget("what-is-ldn", "a4", layout="leaflet", language="es")]


@pytest.fixture(scope="module")
def shipped_projects(tmp_path_factory):
    empty = tmp_path_factory.mktemp("shipped-golden")
    return {None: load_project(empty), "es": load_project(empty, "es")}


@pytest.mark.parametrize("target", SHIPPED_GOLDEN, ids=lambda t: t.html_name)
def test_the_shipped_layouts_html_matches_its_golden_copy(shipped_projects, target, request):
    project = shipped_projects[target.language]
    html = _stable(render(project, tailor(project, target)).html)
    golden = GOLDEN / "shipped" / target.html_name
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert golden.is_file(), f"no golden copy: run pytest {__file__} --update-golden"
    assert html == golden.read_text(encoding="utf-8"), (
        f"{target.html_name} differs from tests/golden/shipped/: if the change is meant, run pytest --update-golden")
