"""The project file, ldnpub.yaml: defaults and named sets, validated like the content."""

from __future__ import annotations

import pytest

from conftest import run
from ldnpub.commands.init import init_project
from ldnpub.build.settings import load_settings


def test_the_file_sets_defaults_and_the_command_line_wins(mini_dir):
    (mini_dir / "ldnpub.yaml").write_text("papers: [letter]\nout: print\n")
    assert run("-C", str(mini_dir), "build", "sheet", "-j", "1").exit_code == 0
    assert [p.name for p in (mini_dir / "print").glob("*.pdf")] == ["sheet_letter.pdf"]
    assert run("-C", str(mini_dir), "build", "sheet", "-j", "1", "--paper", "a4").exit_code == 0
    assert sorted(p.name for p in (mini_dir / "print").glob("*.pdf")) == ["sheet_a4.pdf", "sheet_letter.pdf"]


def test_a_named_set_is_one_word(mini_dir):
    (mini_dir / "ldnpub.yaml").write_text(
        "sets:\n  handouts:\n    documents: [sheet]\n    papers: [a4, letter]\n    variants: [large-print]\n")
    result = run("-C", str(mini_dir), "build", "--set", "handouts", "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (mini_dir / "dist").glob("*.pdf")) == [
        "sheet_large-print_a4.pdf", "sheet_large-print_letter.pdf"]


@pytest.mark.parametrize("text, message", [
    ("brnads: [x]\n", "ldnpub.yaml:1:9: error: brnads: unknown field 'brnads'\n    hint: did you mean 'brands'?"),
    ("sets:\n  a:\n    papre: [a4]\n", "ldnpub.yaml:3:12: error: sets.a.papre: unknown field 'papre'\n"
                                        "    hint: did you mean 'papers'?"),
    ("out: ../../etc\n", "ldnpub.yaml:1:6: error: out: expected a folder inside the project, found '../../etc'"),
    ("papers: [a5]\n", "ldnpub.yaml:1:10: error: papers[0]: expected one of 'a4' or 'letter', found 'a5'"),
    ("output_condition: fogra40\n", "ldnpub.yaml:1:19: error: output_condition: expected one of fogra39, fogra51, "
                                    "gracol2013, swop or a .icc file inside the project, found 'fogra40'"),
    ("max_ink: 500\n", "ldnpub.yaml:1:10: error: max_ink:"),
])
def test_a_bad_project_file_is_located(mini_dir, text, message):
    (mini_dir / "ldnpub.yaml").write_text(text)
    result = run("-C", str(mini_dir), "build", "-j", "1")
    assert result.exit_code == 2
    assert message in result.output
    assert not (mini_dir / "dist").exists()


def test_an_unknown_set_names_the_closest(mini_dir):
    (mini_dir / "ldnpub.yaml").write_text("sets:\n  print-run:\n    papers: [letter]\n")
    result = run("-C", str(mini_dir), "build", "--set", "print-rum")
    assert result.exit_code == 2
    assert "error: unknown build set 'print-rum'\n    hint: did you mean 'print-run'?" in result.output


def test_init_writes_a_commented_project_file_that_validates(tmp_path):
    init_project(tmp_path / "project")
    text = (tmp_path / "project" / "ldnpub.yaml").read_text()
    assert text.startswith("# ldnpub.yaml")
    assert sorted(load_settings(tmp_path / "project").sets) == ["clinic-leaflets", "print-shop"]
    listed = run("-C", str(tmp_path / "project"), "list", "--brand", "example-clinic")
    assert listed.exit_code == 0


def test_init_keeps_built_files_out_of_the_repository(tmp_path):
    result = run("init", str(tmp_path / "project"))
    assert result.exit_code == 0
    assert "wrote" in result.output and ".gitignore" in result.output
    ignored = (tmp_path / "project" / ".gitignore").read_text().split()
    assert "/dist/" in ignored and "/.venv/" in ignored


def test_a_shops_profile_named_in_the_project_file_is_found_from_the_project(mini_dir):
    from ldnpub.build.options import BuildOptions
    from ldnpub.build.settings import apply

    (mini_dir / "ldnpub.yaml").write_text("sets:\n  shop:\n    press: true\n    output_condition: profiles/shop.icc\n"
                                          "    max_ink: 320\n")
    options = apply(BuildOptions(), load_settings(mini_dir).sets["shop"])
    assert options.output_condition == str(mini_dir.absolute() / "profiles" / "shop.icc")
    assert options.press and options.max_ink == 320
