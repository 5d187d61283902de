"""JSON Schemas for editors: they accept the shipped content, reject bad files, carry hover help,
and `ldnpub init` wires a new project to them (modelines and VS Code settings)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from conftest import FIXTURES
from ldnpub import load_project
from ldnpub.content.brand import load_brand
from ldnpub.content.loading import load_yaml
from ldnpub.commands.init import init_project
from ldnpub.content.search import shipped_root
from ldnpub.content.schema import DIALECT, MODELINE, SCHEMAS, dump, json_schemas, schema_for, write_schemas

SHIPPED = shipped_root()
SCHEMA_NAMES = {f"{kind}.schema.json" for kind in
                ("publication", "section", "condition", "references", "glossary", "catalog", "brand")}


def editor_view(data):
    """What an editor validates: YAML 1.2 has no date type, so dates are plain strings."""
    if isinstance(data, dict):
        return {key: editor_view(value) for key, value in data.items()}
    if isinstance(data, list):
        return [editor_view(value) for value in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json_schemas()[name], format_checker=Draft202012Validator.FORMAT_CHECKER)


def messages(errors) -> list[str]:
    """Every message, including those of the alternatives inside anyOf/oneOf."""
    found = []
    for error in errors:
        found.append(error.message)
        found.extend(messages(error.context or ()))
    return found


def content_files(root: Path) -> list[Path]:
    return sorted((root / "sources").rglob("*.yaml"))


SHIPPED_FILES = content_files(SHIPPED) + content_files(FIXTURES / "mini")


def file_id(path: Path) -> str:
    return ("mini/" + path.relative_to(FIXTURES / "mini").as_posix() if path.is_relative_to(FIXTURES)
            else path.relative_to(SHIPPED).as_posix())


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=file_id)
def test_shipped_content_validates_against_its_schema(path):
    name = schema_for(path)
    assert name in SCHEMA_NAMES
    data = editor_view(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(data)]
    assert errors == []


def test_the_schemas_are_valid_draft_2020_12_and_named():
    schemas = json_schemas()
    assert set(schemas) == SCHEMA_NAMES
    for name, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == DIALECT
        assert schema["title"].startswith("ldnpub ") and schema["description"]
        assert schema["additionalProperties"] is False


def test_the_schemas_use_keywords_a_draft_7_editor_understands():
    # VS Code's YAML extension implements draft 7; these newer keywords would be ignored there.
    text = json.dumps(json_schemas())
    for keyword in ("prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
                    "dependentSchemas", "$dynamicRef"):
        assert keyword not in text


# (fixture in tests/fixtures/bad, where it goes, a message the schema gives)
BAD = [
    ("unknown-field", "sources/sections/alpha.yaml",
     "Additional properties are not allowed ('titel' was unexpected)"),
    ("figure-without-alt", "sources/sections/beta.yaml", "'alt' is a required property"),
    ("unknown-block-type", "sources/sections/beta.yaml", "is not valid under any of the given schemas"),
    ("missing-title", "sources/publication.yaml", "'title' is a required property"),
    ("version-not-text", "sources/publication.yaml", "2.1 is not of type 'string'"),
    ("no-read-as-false", "sources/sections/alpha.yaml", "False is not of type 'string'"),
    ("not-a-date", "sources/publication.yaml", "'2027-13-01' is not a 'date'"),
]


@pytest.mark.parametrize("fixture, place, message", BAD, ids=[case[0] for case in BAD])
def test_a_bad_file_is_rejected_by_its_schema_and_its_model(fixture, place, message):
    # ldnpub's loader, not yaml.safe_load: 2027-13-01 looks like a date, so safe_load raises.
    data = load_yaml(FIXTURES / "bad" / f"{fixture}.yaml").data
    name = schema_for(Path(place))
    errors = list(validator(name).iter_errors(editor_view(data)))
    assert errors, f"{fixture} passed {name}"
    assert any(message in m for m in messages(errors)), messages(errors)
    with pytest.raises(ValidationError):
        SCHEMAS[name.removesuffix(".schema.json")].model_validate(data)


def test_an_unknown_block_type_is_rejected_at_its_place():
    data = load_yaml(FIXTURES / "bad" / "unknown-block-type.yaml").data
    errors = list(validator("section.schema.json").iter_errors(data))
    assert [list(e.absolute_path) for e in errors] == [["blocks", 1]]


def test_a_bare_string_is_a_paragraph_in_the_schema_too():
    section = {"id": "a", "title": "A", "key_points": ["One."], "blocks": ["Just text."],
               "subsections": [{"title": "Part", "blocks": ["More text.", {"text": "No type: a paragraph."}]}]}
    assert list(validator("section.schema.json").iter_errors(section)) == []
    condition = {"id": "c", "name": "C", "short_name": "C", "key_points": ["One."], "blocks": ["Text."]}
    assert list(validator("condition.schema.json").iter_errors(condition)) == []
    assert list(validator("section.schema.json").iter_errors({**section, "blocks": [""]}))
    assert list(validator("section.schema.json").iter_errors({**section, "blocks": [3]}))


def test_a_brand_colour_must_be_a_hex_colour():
    errors = list(validator("brand.schema.json").iter_errors({"name": "X", "colors": {"primary": "green"}}))
    assert [list(e.absolute_path) for e in errors] == [["colors"]]
    assert "'green' does not match '^#[0-9a-fA-F]{6}$'" in messages(errors)


def test_every_field_has_hover_help():
    missing = []
    for name, schema in json_schemas().items():
        for where, definition in [("(file)", schema), *schema.get("$defs", {}).items()]:
            for field, spec in definition.get("properties", {}).items():
                if not spec.get("description", "").strip():
                    missing.append(f"{name}: {where}.{field}")
    assert missing == []
    for cls in SCHEMAS.values():
        assert all(info.description for info in cls.model_fields.values()), cls.__name__


def test_write_schemas_is_deterministic(tmp_path):
    first = write_schemas(tmp_path / "one")
    time.sleep(1.1)  # another process, a second later: a clock in the output would show
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from ldnpub.content.schema import write_schemas; write_schemas(Path(sys.argv[1]))",
                    str(tmp_path / "two")], check=True, env={**os.environ, "TZ": "Pacific/Kiritimati"})
    second = sorted((tmp_path / "two").glob("*.json"))
    assert [p.name for p in first] == sorted(SCHEMA_NAMES)
    for a, b in zip(first, second):
        text = a.read_text(encoding="utf-8")
        assert text == b.read_text(encoding="utf-8")
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert write_schemas(tmp_path / "one") == first
    assert [p.read_text(encoding="utf-8") for p in first] == [p.read_text(encoding="utf-8") for p in second]


@pytest.mark.parametrize("path, name", [
    ("sources/publication.yaml", "publication.schema.json"),
    ("sources/catalog.yaml", "catalog.schema.json"),
    ("sources/references.yaml", "references.schema.json"),
    ("sources/glossary.yaml", "glossary.schema.json"),
    ("sources/sections/dosage.yaml", "section.schema.json"),
    ("/home/me/clinic/sources/conditions/fibromyalgia.yaml", "condition.schema.json"),
    ("sources/brands/example-clinic.yaml", "brand.schema.json"),
    ("publication.yaml", None),
    ("sources/notes.yaml", None),
    ("sources/sections/old/dosage.yaml", None),
    ("layouts/booklet.html", None),
    ("our-clinic.yaml", None),
])
def test_schema_for_a_file_by_its_place(path, name):
    assert schema_for(Path(path)) == name


def glob_regex(pattern: str) -> re.Pattern:
    """A glob where * stays within one folder, matched against the whole relative path."""
    return re.compile(re.escape(pattern).replace(r"\*", "[^/]*"))


def test_init_wires_a_new_project_to_the_schemas(tmp_path):
    project = tmp_path / "p"
    folders = init_project(project)
    assert project / "schemas" in folders and project / ".vscode" in folders

    schemas = json_schemas()
    assert {p.name for p in (project / "schemas").iterdir()} == SCHEMA_NAMES
    for name, schema in schemas.items():
        assert (project / "schemas" / name).read_text(encoding="utf-8") == dump(schema)

    settings = json.loads((project / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for schema_path in settings:
        assert (project / schema_path).resolve().is_file()

    files = content_files(project)
    assert len(files) == len(content_files(SHIPPED))
    for path in files:
        relative = path.relative_to(project).as_posix()
        name = schema_for(path.relative_to(project))
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE), relative
        target = first.removeprefix(MODELINE)
        depth = len(path.relative_to(project).parts) - 1
        assert target == "../" * depth + f"schemas/{name}"
        assert (path.parent / target).resolve() == (project / "schemas" / name).resolve()
        matching = [schema_path for schema_path, globs in settings.items()
                    if any(glob_regex(glob).fullmatch(relative) for glob in globs)]
        assert [Path(m).name for m in matching] == [name], relative
        # The modeline is a comment: the data is the shipped file's.
        shipped = SHIPPED / path.relative_to(project)
        assert yaml.safe_load(path.read_text(encoding="utf-8")) == yaml.safe_load(shipped.read_text(encoding="utf-8"))
        assert not shipped.read_text(encoding="utf-8").startswith(MODELINE)

    loaded = load_project(project)
    assert loaded.publication.id == "ldn-chronic-pain"
    assert all(p.is_relative_to(project.resolve()) for p in loaded.files.values())
    for brand in sorted((project / "sources" / "brands").glob("*.yaml")):
        assert load_brand(brand).brand.name
