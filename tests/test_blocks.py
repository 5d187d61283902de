"""Block types as a registry: one module and one template each, checked as the project loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run
from ldnpub.content import blocks
from ldnpub.content.blocks.base import BlockType, BlockView
from ldnpub.content.load import load_project
from ldnpub.content.search import shipped_root
from ldnpub.content.translation import translatable


def _shipped_blocks(tmp_path_factory) -> list:
    project = load_project(tmp_path_factory.mktemp("shipped"))
    found = []

    def walk(section_blocks, subsections):
        found.extend(section_blocks)
        for sub in subsections:
            found.extend(sub.blocks)

    for section in project.sections.values():
        walk(section.blocks, section.subsections)
        if section.article:
            walk(section.article.blocks, section.article.subsections)
    for condition in project.conditions.values():
        walk(condition.blocks, ())
    return found + ([project.publication.safety] if project.publication.safety else [])


def test_every_block_type_has_a_module_and_a_template_and_nothing_else():
    assert blocks.BLOCK_TYPES == ("paragraph", "list", "callout", "safety", "qa", "figure", "diagram", "write_in",
                                  "table")
    templates = {path.stem for path in (shipped_root() / "layouts" / "blocks").glob("*.html")}
    assert templates == set(blocks.BLOCK_TYPES)
    assert blocks.template_problems((shipped_root(),), str) == []


def test_a_block_type_without_its_template_is_named(monkeypatch):
    extra = BlockType("timeline", 99, blocks.BLOCKS["paragraph"].model, lambda b, v: BlockView("timeline"),
                      lambda b: [])
    monkeypatch.setitem(blocks.BLOCKS, "timeline", extra)
    [problem] = blocks.template_problems((shipped_root(),), str)
    assert str(problem.path) == "layouts/blocks/timeline.html"
    assert problem.message == "block type 'timeline' has no template"


def test_a_misspelt_block_template_in_a_project_stops_the_build_with_its_name(mini_dir):
    (mini_dir / "layouts" / "blocks").mkdir(parents=True)
    (mini_dir / "layouts" / "blocks" / "paragrap.html").write_text("<p class='mine'>{{ b.text }}</p>\n")
    result = run("-C", str(mini_dir), "build", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2, result.output
    assert ("layouts/blocks/paragrap.html: error: 'paragrap' is not a block type, so this template would never "
            "be used") in result.output
    assert "did you mean paragraph.html?" in result.output and not (mini_dir / "dist").exists()


def test_a_projects_block_template_replaces_the_shipped_one(mini_dir):
    (mini_dir / "layouts" / "blocks").mkdir(parents=True)
    (mini_dir / "layouts" / "blocks" / "paragraph.html").write_text("<p class='mine'>{{ b.text }}</p>\n")
    result = run("-C", str(mini_dir), "build", "sheet", "--html", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 0, result.output
    assert "<p class='mine'>" in (mini_dir / "dist" / "sheet_a4.html").read_text()


def test_every_text_a_block_prints_is_graded(tmp_path_factory):
    """What a translator translates in a block is what check grades: a block type whose texts
    forget a field would leave that field's words ungraded."""
    shipped = _shipped_blocks(tmp_path_factory)
    assert {block.type for block in shipped} >= set(blocks.BLOCK_TYPES) - {"figure"}
    for block in shipped:
        prose = {text for _, text in translatable(type(block), block.model_dump())}
        assert prose <= set(blocks.texts(block)), (block.type, prose - set(blocks.texts(block)))


@pytest.mark.parametrize("kind", blocks.BLOCK_TYPES)
def test_each_block_type_names_its_own_view(kind):
    assert blocks.BLOCKS[kind].name == kind
    assert blocks.BLOCKS[kind].model.model_fields["type"].annotation.__args__ == (kind,)


def test_the_template_folder_is_where_the_registry_says(tmp_path):
    assert Path(blocks.TEMPLATES) == Path("layouts/blocks")
