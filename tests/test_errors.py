"""Bad input: each promised error, with its whole message, file:line:column, exit code 2."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import FIXTURES, run

CASES = [
    ("syntax-error", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:5:2: error: YAML syntax: expected <block end>, but found '<block mapping start>'"),
    ("missing-title", "publication.yaml",
     "sources/publication.yaml:1:1: error: title: missing required field 'title'"),
    ("version-not-text", "publication.yaml",
     'sources/publication.yaml:9:10: error: version: expected text, found the number 2.1\n'
     '    hint: put it in quotes: "2.1"'),
    ("unknown-field", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:2:8: error: titel: unknown field 'titel'\n"
     "    hint: did you mean 'title'?"),
    ("no-read-as-false", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:2:8: error: title: expected text, found false\n"
     "    hint: YAML reads yes/no/on/off as true/false: put the text in quotes"),
    ("duplicate-key", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:3:1: error: duplicate key 'title'\n"
     "    hint: each field may appear once in a mapping"),
    ("raw-html", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:9:9: error: subsections[0].blocks[1]: raw HTML is not allowed in content; "
     "use *emphasis*, **strong** or [text](https://...)"),
    ("unknown-citation", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:8:9: error: subsections[0].blocks[0]: citation of unknown reference 'secnd2002'\n"
     "    hint: did you mean 'second2002'? Known: first2001, second2002"),
    ("not-a-date", "publication.yaml",
     "sources/publication.yaml:12:14: error: next_review: expected a date like 2026-01-31, found '2027-13-01'"),
    ("unknown-block-type", "sections/beta.yaml",
     "sources/sections/beta.yaml:7:5: error: blocks[1]: unknown block type 'quiz': "
     "expected one of paragraph, list, callout, safety, qa, figure, diagram, write_in, table"),
    ("figure-without-alt", "sections/beta.yaml",
     "sources/sections/beta.yaml:5:5: error: blocks[0].alt: missing required field 'alt'"),
    ("unknown-condition", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:16:22: error: subsections[0].blocks[3].conditions[0]: unknown condition 'cond-z'\n"
     "    hint: did you mean 'cond-y'? Known: cond-x, cond-y"),
    ("alias-bomb", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:4:8: error: alias *a: anchors and aliases are not allowed in content\n"
     "    hint: write the value out where it is needed"),
    ("control-character", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:2:15: error: control character U+0007 in the text"),
    ("too-deep", "sections/alpha.yaml",
     "sources/sections/alpha.yaml:2:39: error: nested more than 32 levels deep"),
    ("unknown-section", "catalog.yaml",
     "sources/catalog.yaml:6:34: error: documents[0].sections[2]: unknown section 'betta'\n"
     "    hint: did you mean 'beta'? Known: alpha, beta"),
]


@pytest.mark.parametrize("name, destination, message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_with_its_place(mini_dir, name, destination, message):
    shutil.copy(FIXTURES / "bad" / f"{name}.yaml", mini_dir / "sources" / destination)
    result = run("-C", str(mini_dir), "build", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (mini_dir / "dist").exists()  # nothing renders from invalid content


def test_every_problem_of_a_run_is_reported_at_once(mini_dir):
    shutil.copy(FIXTURES / "bad" / "version-not-text.yaml", mini_dir / "sources" / "publication.yaml")
    shutil.copy(FIXTURES / "bad" / "unknown-block-type.yaml", mini_dir / "sources" / "sections" / "beta.yaml")
    result = run("-C", str(mini_dir), "list")
    assert result.exit_code == 2
    assert "publication.yaml:9:10" in result.output
    assert "beta.yaml:7:5" in result.output


def test_every_bad_fixture_has_a_case():
    assert sorted(p.stem for p in (FIXTURES / "bad").glob("*.yaml")) == sorted(c[0] for c in CASES)


def test_id_must_match_the_file_name(mini_dir):
    path = mini_dir / "sources" / "sections" / "beta.yaml"
    path.write_text(path.read_text().replace("id: beta", "id: gamma"))
    result = run("-C", str(mini_dir), "list")
    assert result.exit_code == 2
    assert ("sources/sections/beta.yaml:1:5: error: id: 'gamma' differs from the file name 'beta.yaml'\n"
            "    hint: rename the file to gamma.yaml or set id: beta") in result.output


def test_unknown_document_names_the_closest(mini_dir):
    result = run("-C", str(mini_dir), "build", "gide", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2
    assert "error: unknown document 'gide'\n    hint: did you mean 'guide'? Known: guide, sheet" in result.output


def test_a_leaflet_too_long_fails_and_keeps_earlier_outputs(mini_dir):
    out = mini_dir / "dist"
    assert run("-C", str(mini_dir), "build", "--out", str(out)).exit_code == 0
    before = (out / "sheet_a4.pdf").read_bytes()
    manifest_before = (out / "manifest.json").read_text()
    beta = mini_dir / "sources" / "sections" / "beta.yaml"
    long_text = " ".join(["This sentence makes the leaflet far too long to fit."] * 400)
    beta.write_text(beta.read_text() + f'  - "{long_text}"\n')
    result = run("-C", str(mini_dir), "build", "sheet", "--out", str(out))
    assert result.exit_code == 1
    assert re.search(r"error: sheet_a4\.pdf: \d+ pages, the catalog allows 2\n"
                     r"    hint: shorten the sections of this document or raise max_pages in catalog.yaml",
                     result.output)
    assert (out / "sheet_a4.pdf").read_bytes() == before
    assert (out / "manifest.json").read_text() == manifest_before
    assert not list(out.glob(".*.part"))


def test_a_broken_layout_override_names_the_template(mini_dir):
    layouts = mini_dir / "layouts"
    layouts.mkdir()
    (layouts / "leaflet.html").write_text("<html lang='en'><title>x</title>\n{{ e.no_such_field }}\n</html>")
    result = run("-C", str(mini_dir), "build", "sheet", "--out", str(mini_dir / "dist"))
    assert result.exit_code == 1
    assert "layouts/leaflet.html:2: error: sheet_a4.pdf:" in result.output
    assert "no_such_field" in result.output
    assert "Traceback" not in result.output


def test_did_you_mean_names_only_the_fields_of_that_place(mini_dir):
    brand = mini_dir / "brand.yaml"
    brand.write_text('name: "Clinic"\nsubtitel: "x"\nphnoe: "555"\n')
    result = run("-C", str(mini_dir), "build", "sheet", "--brand", str(brand), "--out", str(mini_dir / "dist"))
    assert result.exit_code == 2
    assert "brand.yaml:2:11: error: subtitel: unknown field 'subtitel'\n" in result.output
    assert "subtitle" not in result.output  # a field of sections, not of brands
    assert "brand.yaml:3:8: error: phnoe: unknown field 'phnoe'\n    hint: did you mean 'phone'?" in result.output


def test_a_yaml_tag_is_refused_with_its_place(mini_dir):
    publication = mini_dir / "sources" / "publication.yaml"
    publication.write_text(publication.read_text().replace('title: "Mini Guide"', "title: !!timestamp 2001-12-14", 1))
    result = run("-C", str(mini_dir), "build", "sheet")
    assert result.exit_code == 2
    assert "sources/publication.yaml:2:8: error: the YAML tag tag:yaml.org,2002:timestamp: tags are not used " \
           "in content" in result.output
