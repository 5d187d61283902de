"""Every build option that changes what is printed changes a file's name or its key (the
fingerprint a build skips unchanged files by): none can be forgotten by the cache."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import FIXTURES
from ldnpub.build.options import BuildOptions, _css_length, declared
from ldnpub.build.plan import plan
from ldnpub.build.run import outputs_key, output_conditions
from ldnpub.build.cache import fingerprint
from ldnpub.content.brand import open_brand
from ldnpub.content.load import load_project
from ldnpub.edition.tailor import tailor
from ldnpub.pdf.finish import print_spec
from ldnpub.prepress import press
from ldnpub.render.html import render

# Declared as changing no printed file (build/options.py): how fast, what else is written, when.
NOT_PRINTED = {field.name for field, spec in declared() if not spec.printed}
# One value for each option declared as changing what is printed.
CHANGED = {
    "doc_ids": ("sheet",), "languages": ("en",),
    "papers": ("letter",), "conditions": ("cond-x",), "all_conditions": True, "brands": ("clinic",),
    "variants": ("large-print",), "bleed": "3mm", "crop_marks": True, "impose": True, "sheet": "sra3",
    "creep": "0.5mm", "pdf_standard": "ua-2", "press": True, "output_condition": "swop", "max_ink": 320,
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("options") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    brands = root / "sources" / "brands"
    brands.mkdir(parents=True, exist_ok=True)
    (brands / "clinic.yaml").write_text('name: "Riverside Clinic"\ncolors: {primary: "#004d40"}\n')
    return load_project(root)


def _keys(project, options: BuildOptions) -> dict[str, str]:
    brands = {name: open_brand(project.search, name) for name in options.brands}
    conditions = output_conditions(project, options) if options.press else {}
    creep = _css_length(options.creep, "--creep") if options.creep else None
    keys = {}
    for target in plan(project, options, [b.id for b in brands.values()] or [None]):
        edition = tailor(project, target, next((b for b in brands.values() if b.id == target.brand), None), False)
        page, spec = render(project, edition), print_spec(project, edition)
        keys[target.output_name] = outputs_key(fingerprint(page, spec), target, spec, options, creep,
                                               conditions.get(target.paper))
    return keys


def test_every_option_is_either_printed_or_declared_as_not():
    assert NOT_PRINTED == {"jobs", "scheduler", "force", "html", "today", "allow_untranslated", "package",
                           "allow_expired"}
    assert {f.name for f in dataclasses.fields(BuildOptions)} == NOT_PRINTED | set(CHANGED)


def test_each_option_is_declared_once_for_the_command_line_and_the_project_file():
    from ldnpub.build.settings import BuildDefaults
    from ldnpub.commands.cli import build

    flags = {param.name for param in build.params}
    assert {f.name for f, spec in declared() if spec.flag} <= flags
    in_file = {spec.file_key or f.name for f, spec in declared() if spec.file_type}
    assert set(BuildDefaults.model_fields) == in_file
    assert in_file == {"documents", "conditions", "all_conditions", "brands", "papers", "variants", "languages",
                       "bleed", "crop_marks", "impose", "press", "output_condition", "max_ink", "package"}


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_an_option_that_changes_what_is_printed_changes_a_name_or_a_key(project, name):
    if name == "languages":  # the mini project has no translation: a language is in the file's name
        from ldnpub.base.targets import BuildTarget

        assert BuildTarget("sheet", "a4", language="es").output_name != BuildTarget("sheet", "a4").output_name
        return
    if name in ("press", "output_condition", "max_ink") and press.missing():
        pytest.skip(f"press files cannot be made here: {press.missing()}")
    base = BuildOptions(press=name in ("output_condition", "max_ink"), impose=name in ("sheet", "creep"))
    changed = dataclasses.replace(base, **{name: CHANGED[name]})
    assert _keys(project, changed) != _keys(project, base)
