"""Editor support: the content models -> JSON Schemas, and a project wired to them.

A side stage, beside validation: it takes the pydantic models of model.py (the same ones that
validate the content) and returns one JSON Schema (draft 2020-12) per kind of content file.
Editors that read JSON Schemas (VS Code's YAML extension, JetBrains IDEs) then offer completion,
show the field descriptions as hover help and mark mistakes as the editor types.

`write_schemas(out_dir)` writes them as `KIND.schema.json`; `schema_for(path)` names the schema a
content file uses, by its place in the project; `add_editor_support(project_dir)` (used by
`ldnpub init`) writes the schemas into a project, points each YAML file under sources/ to its
schema with a `yaml-language-server` modeline, and writes `.vscode/settings.json`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from ldnpub.content import model

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FOLDER = "schemas"
MODELINE = "# yaml-language-server: $schema="

SCHEMAS: dict[str, type[BaseModel]] = {
    "publication": model.Publication,
    "section": model.Section,
    "condition": model.Condition,
    "references": model.ReferencesFile,
    "glossary": model.GlossaryFile,
    "catalog": model.Catalog,
    "brand": model.Brand,
}

# Where each kind of file lives in a project (a glob relative to the project folder).
PLACES: dict[str, str] = {
    "publication": "sources/publication.yaml",
    "section": "sources/sections/*.yaml",
    "condition": "sources/conditions/*.yaml",
    "references": "sources/references.yaml",
    "glossary": "sources/glossary.yaml",
    "catalog": "sources/catalog.yaml",
    "brand": "sources/brands/*.yaml",
}

_DESCRIPTIONS = {
    "references": "The references the text cites, structured.",
    "glossary": "Plain-language definitions of the words the text uses.",
}


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def json_schemas() -> dict[str, dict]:
    """Every content file type's JSON Schema, by file name (e.g. "section.schema.json")."""
    schemas = {}
    for kind, cls in SCHEMAS.items():
        schema = cls.model_json_schema()
        if kind in _DESCRIPTIONS:
            schema.setdefault("description", _DESCRIPTIONS[kind])
        schemas[schema_file(kind)] = {
            "$schema": DIALECT,
            **schema,
            "title": f"ldnpub {kind} file ({PLACES[kind]})",
        }
    return dict(sorted(schemas.items()))


def dump(schema: dict) -> str:
    """A schema as deterministic text: sorted keys, indent 2, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every schema into out_dir (created if needed); the paths written, sorted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = out_dir / name
        path.write_text(dump(schema), encoding="utf-8")
        written.append(path)
    return written


def kind_for(path: Path) -> str | None:
    """The kind of content file at path (by its place: sources/sections/x.yaml is a section)."""
    posix = PurePosixPath(Path(path).as_posix())
    return next((kind for kind, place in PLACES.items() if posix.match(place)), None)


def schema_for(path: Path) -> str | None:
    """The schema file name a content file uses, by its place; None for other files."""
    kind = kind_for(path)
    return schema_file(kind) if kind else None


def add_modeline(path: Path, schema_path: Path) -> None:
    """Make the file's first line point editors to schema_path (relative to the file)."""
    relative = Path(os.path.relpath(schema_path, path.parent)).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if lines and lines[0].startswith(MODELINE):
        lines = lines[1:]
    path.write_text(f"{MODELINE}{relative}\n" + "".join(lines), encoding="utf-8")


def vscode_settings() -> dict:
    """VS Code settings that map each schema to its files (for a project opened as the folder)."""
    return {"yaml.schemas": {f"./{SCHEMA_FOLDER}/{schema_file(kind)}": [place]
                             for kind, place in sorted(PLACES.items())}}


def add_editor_support(project_dir: Path) -> list[Path]:
    """Schemas, modelines and VS Code settings for a project; the folders written."""
    schemas = project_dir / SCHEMA_FOLDER
    write_schemas(schemas)
    sources = project_dir / "sources"
    for path in sorted(sources.rglob("*.yaml")):
        name = schema_for(path.relative_to(project_dir))
        if name:
            add_modeline(path, schemas / name)
    vscode = project_dir / ".vscode"
    vscode.mkdir(exist_ok=True)
    (vscode / "settings.json").write_text(dump(vscode_settings()), encoding="utf-8")
    (vscode / "extensions.json").write_text(dump({"recommendations": ["redhat.vscode-yaml"]}), encoding="utf-8")
    return [schemas, vscode]
