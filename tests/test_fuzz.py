"""Fuzzing (hypothesis): generated YAML and text never produce a traceback, only messages.

Derandomized and without an example database, so every run tries the same inputs and CI is
repeatable; a failure prints the smallest input that caused it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, run
from ldnpub.errors import ContentError
from ldnpub.inline import FACT, plain, to_markup
from ldnpub.loading import load_yaml
from ldnpub.validate import load_project

FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=150,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text as an editor might type or paste it, control characters and YAML's own marks included.
SCALARS = st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
                    st.dates())
KEYS = st.sampled_from(["id", "title", "type", "text", "items", "blocks", "subsections", "key_points",
                        "conditions", "cite", "alt", "src", "kind", "note", "x"]) | st.text(max_size=8)
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
                    max_leaves=25)
YAMLISH = st.text(alphabet=st.sampled_from(list("ab:- \n\t'\"[]{}&*!|>#%@`,?\\\x07\x00é€")), max_size=120)


def _yaml_text(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FUZZ
@given(text=st.one_of(YAMLISH, st.text(max_size=200), DATA.map(_yaml_text)))
def test_the_loader_returns_data_or_a_located_message(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("load") / "file.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_yaml(path)
    except ContentError as exc:
        assert exc.problems and all(p.path is not None for p in exc.problems)


@pytest.fixture(scope="module")
def mini_copy(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("fuzz") / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    return project


@FUZZ
@given(data=DATA)
def test_the_validator_turns_any_section_into_a_project_or_messages(mini_copy, data):
    (mini_copy / "sources" / "sections" / "beta.yaml").write_text(_yaml_text(data), encoding="utf-8")
    try:
        load_project(mini_copy)
    except ContentError as exc:
        assert exc.problems
        assert all(str(p).startswith("sources/") for p in exc.problems), exc


@FUZZ
@given(text=st.text(max_size=300))
def test_inline_markup_stays_escaped_and_in_its_subset(text):
    if FACT.search(text):  # unknown facts are refused by validation before rendering
        return
    html = str(to_markup(text, {}, {}))
    assert set(re.findall(r"</?([a-zA-Z][\w-]*)", html)) <= {"em", "strong", "a"}
    plain(text, {})


@settings(derandomize=True, database=None, deadline=None, max_examples=25,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.one_of(YAMLISH, DATA.map(_yaml_text)))
def test_the_cli_never_shows_a_traceback(mini_copy, text):
    (mini_copy / "sources" / "sections" / "alpha.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    result = run("-C", str(mini_copy), "list")  # an exception would escape CliRunner and fail here
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
