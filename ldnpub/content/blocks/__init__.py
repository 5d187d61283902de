"""Block types: the kinds of content a section holds. Each is one module here (its model, the view
a layout gets, the texts `check` grades, as `TYPE`) and one template, layouts/blocks/TYPE.html.

A new block type is those two files: the modules of this folder are found when it is imported.
A type without its template, or a template in a project's layouts/blocks/ that names no type, is
an error as the project loads (`template_problems`), with the file and the known types.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
import importlib
import pkgutil
from pathlib import Path
from typing import Annotated, Union

from pydantic import BeforeValidator, Field
from pydantic.json_schema import JsonSchemaValue

from ldnpub.base.errors import Problem
from ldnpub.content.blocks.base import BlockBase, BlockType, BlockView, Viewer
from ldnpub.content.types import TEXT_HELP

TEMPLATES = "layouts/blocks"


def _registered() -> dict[str, BlockType]:
    found = []
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            found.append(importlib.import_module(f"{__name__}.{module.name}").TYPE)
    return {kind.name: kind for kind in sorted(found, key=lambda kind: kind.order)}


BLOCKS: dict[str, BlockType] = _registered()
BLOCK_TYPES = tuple(BLOCKS)


def _paragraph_shorthand(value: object) -> object:
    # A bare string in a list of blocks is a paragraph: editors write mostly prose.
    return {"type": "paragraph", "text": value} if isinstance(value, str) else value


class _ParagraphShorthandSchema:
    """JSON Schema only: a bare string is accepted where a block is expected, as validation does."""

    @staticmethod
    def __get_pydantic_json_schema__(core_schema, handler) -> JsonSchemaValue:
        paragraph = {"type": "string", "minLength": 1, "description": "A paragraph. " + TEXT_HELP}
        return {"anyOf": [paragraph, handler(core_schema)]}


Block = Annotated[
    Union[tuple(kind.model for kind in BLOCKS.values())],
    Field(discriminator="type"),
    BeforeValidator(_paragraph_shorthand),
    _ParagraphShorthandSchema(),
]


def view(block: BlockBase, viewer: Viewer) -> BlockView:
    """The block as its template gets it, its editor's note included."""
    made = BLOCKS[block.type].view(block, viewer)
    return replace(made, note=viewer.md(block.note)) if block.note else made


def texts(block: BlockBase) -> list[str]:
    """The texts a block prints, in reading order, its editor's note last."""
    return BLOCKS[block.type].texts(block) + ([block.note] if block.note else [])


def template_problems(roots: tuple[Path, ...], display) -> list[Problem]:
    """Every block type has its template somewhere on the search path; every template in
    layouts/blocks/ is a block type's (a misspelt name would be silently unused)."""
    problems = []
    names = {path.stem: path for root in reversed(roots) for path in sorted((root / TEMPLATES).glob("*.html"))}
    for name, path in names.items():
        if name not in BLOCKS:
            close = difflib.get_close_matches(name, BLOCK_TYPES, n=1)
            problems.append(Problem(Path(display(path)), None, None, f"'{name}' is not a block type, so this "
                                    "template would never be used",
                                    (f"did you mean {close[0]}.html? " if close else "")
                                    + f"the block types: {', '.join(BLOCK_TYPES)}"))
    for name in BLOCKS:
        if name not in names:
            problems.append(Problem(Path(f"{TEMPLATES}/{name}.html"), None, None,
                                    f"block type '{name}' has no template", "add layouts/blocks/"
                                    f"{name}.html: how the block prints"))
    return problems
