"""`ldnpub translations update`: the PO files translators work in, written and merged."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ldnpub.content.project import Project
from ldnpub.content import model
from ldnpub.content.loading import RawFile
from ldnpub.content.translation import FOLDER, Label, babel_locale, context, layout_labels, po_path, source_name, translatable


# --- writing PO files -----------------------------------------------------------------------

def template(raws: list[tuple[RawFile, type[BaseModel]]], labels: list[Label], publication: model.Publication):
    """The catalog of every translatable string: content first, in file order, then labels."""
    from babel.messages.catalog import Catalog

    # Dated by the content, not the clock: extracting twice writes the same file.
    when = dt.datetime.combine(publication.last_reviewed, dt.time(), dt.timezone.utc)
    catalog = Catalog(project=publication.title, version=publication.version, copyright_holder=publication.organization.name,
                      charset="utf-8", fuzzy=False, creation_date=when, revision_date=when)
    for raw, cls in raws:
        for at, text in translatable(cls, raw.data):
            catalog.add(text, locations=[(source_name(raw.path), raw.locate(at)[0])], context=context(raw.path, at))
    for label in labels:
        catalog.add(label.text, locations=[(label.file, label.line)])
    return catalog


def merged(existing: bytes | None, new: Any, language: str) -> bytes:
    """The language's PO file with the template merged in: new strings added empty, strings whose
    English changed marked fuzzy (the old English kept as #| msgid), removed ones kept as #~."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    if existing is None:
        catalog = Catalog(locale=babel_locale(language), project=new.project, version=new.version,
                          copyright_holder=new.copyright_holder, charset="utf-8", fuzzy=False,
                          creation_date=new.creation_date, revision_date=new.revision_date)
        catalog.language_team = f"{language} <translators>"
    else:
        catalog = read_po(io.BytesIO(existing), locale=babel_locale(language))
    catalog.update(new, update_header_comment=False)
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_previous=True, omit_header=False)
    return out.getvalue()


def write_po_files(project: Project, languages: list[str]) -> list[Path]:
    """Create or update translations/LANGUAGE.po for each language (none named: every PO file
    the project has), from the project's content and the layouts' labels."""
    from ldnpub.base.files import write_atomic
    from ldnpub.content.load import sources_search

    folder = project.root / FOLDER
    if not languages:
        languages = sorted(path.stem for path in folder.glob("*.po"))
    raws = [(raw, cls) for raw in project.raws.values() if (cls := model.model_for(raw.display))]
    new = template(raws, layout_labels(project.search.roots), project.publication)
    written = []
    for language in languages:
        path = folder / f"{language}.po"
        # A project without its own file starts from the shipped translation, not from nothing.
        found = sources_search(project.search).find(po_path(language))
        existing = found.read_bytes() if found else None
        data = merged(existing, new, language)
        if data != (path.read_bytes() if path.is_file() else None):
            folder.mkdir(exist_ok=True)
            write_atomic(path, data)
            written.append(path)
    return written
