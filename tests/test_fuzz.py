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
from ldnpub.base.errors import ContentError
from ldnpub.content.inline import FACT, plain, to_markup
from ldnpub.content.loading import load_yaml
from ldnpub.content.load import load_project

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


# --- YAML tags -------------------------------------------------------------------------------

TAGS = st.sampled_from(["!!timestamp", "!!binary", "!!set", "!!omap", "!!pairs", "!!python/object:os.system",
                        "!!python/name:os.system", "!!float", "!!int", "!!bool", "!!null", "!!str", "!!seq",
                        "!!map", "!!merge", "!custom", "!<tag:yaml.org,2002:str>", "!", "!!"])
TAGGED_VALUES = st.sampled_from(["2001-12-14", "2001-12-14 21:59:43.10-05:00", "aGVsbG8=", "{a, b}", "[a: 1]",
                                 ".inf", "0x1F", "yes", "~", "x", "[]", "{}", '"quoted"', "1e309"])


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory) -> Path:
    """The mini project, for tests that change one file and put it back."""
    project = tmp_path_factory.mktemp("fuzz-clean") / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    return project


@FUZZ
@given(tag=TAGS, value=TAGGED_VALUES, field=st.sampled_from(["title", "version", "next_review", "language"]))
def test_a_yaml_tag_anywhere_is_data_or_a_located_message(clean_copy, tag, value, field):
    mini_copy = clean_copy
    publication = mini_copy / "sources" / "publication.yaml"
    original = (FIXTURES / "mini" / "sources" / "publication.yaml").read_text()
    lines = [f"{field}: {tag} {value}" if line.startswith(f"{field}:") else line for line in original.splitlines()]
    publication.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        load_project(mini_copy)
    except ContentError as exc:
        assert exc.problems and all(str(p).startswith("sources/publication.yaml") for p in exc.problems), exc
    finally:
        publication.write_text(original, encoding="utf-8")


# --- PO files --------------------------------------------------------------------------------

PO_TEXT = st.text(alphabet=st.sampled_from(list('ab %()s{}[]@1.\\"\n\u202e<>')), max_size=30)
HEADERS = st.fixed_dictionaries({"plurals": st.sampled_from(["nplurals=2; plural=(n != 1);", "nplurals=200000000;",
                                                             "nplurals=x;", "", "nplurals=0;"]),
                                 "charset": st.sampled_from(["utf-8", "latin-1", "no-such-charset", ""])})


def _po(header: dict, messages: list[tuple[str, str]]) -> bytes:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = ['msgid ""', 'msgstr ""', f'"Plural-Forms: {header["plurals"]}\\n"',
             f'"Content-Type: text/plain; charset={header["charset"]}\\n"', ""]
    for english, translated in messages:
        lines += [f"msgid {quoted(english)}", f"msgstr {quoted(translated)}", ""]
    return "\n".join(lines).encode("utf-8")


@FUZZ
@given(header=HEADERS, messages=st.lists(st.tuples(PO_TEXT.filter(bool), PO_TEXT), max_size=6))
def test_any_po_file_is_a_translation_or_a_located_message(tmp_path_factory, header, messages):
    from ldnpub.content.translation import load_translation

    path = tmp_path_factory.mktemp("po") / "es.po"
    path.write_bytes(_po(header, messages))
    try:
        load_translation(path, "translations/es.po", "es")
    except ContentError as exc:
        assert exc.problems and all(str(p).startswith("translations/es.po") for p in exc.problems), exc


# --- the template context --------------------------------------------------------------------

NAMES = st.sampled_from(["title", "items", "keys", "get", "values", "__class__", "__init__", "parse_raw",
                         "model_dump", "read_text", "mro", "format", "upper", "0", "x", "_fields"])
EXPRESSIONS = st.lists(NAMES, min_size=1, max_size=4).map(".".join).flatmap(
    lambda chain: st.sampled_from([f"{{{{ c.{chain} }}}}", f"{{{{ c.{chain}() }}}}", f"{{{{ c.{chain}|list }}}}",
                                   f"{{% for v in c.{chain} %}}{{{{ v }}}}{{% endfor %}}",
                                   f"{{{{ c['{chain}'] }}}}"]))


@FUZZ
@given(data=st.dictionaries(NAMES, DATA, max_size=4), template=EXPRESSIONS)
def test_a_layout_reaches_only_data_in_any_context(data, template):
    """Whatever data the context holds and whatever a layout asks of it, the answer is data or a
    layout error: never a method of an object outside the inert types, never a crash."""
    import jinja2

    from ldnpub.render.sandbox import BudgetExceeded, LayoutSandbox, inert, render_bounded

    context = inert(data)
    try:
        output = render_bounded(LayoutSandbox(autoescape=True).from_string(template), {"c": context})
    except (jinja2.TemplateError, BudgetExceeded, TypeError, ValueError, KeyError, IndexError):
        return
    assert "<bound method" not in output and "<class" not in output and "function" not in output
