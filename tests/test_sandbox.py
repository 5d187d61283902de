"""Layouts see inert data only, in a sandbox that refuses everything else and bounds what a
layout spends. Each guard is tried alone: the context without the sandbox, the sandbox with a
live object handed to it directly, each bound with a payload only it stops."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from markupsafe import Markup

from conftest import FIXTURES, leaflet_layout_with, run
from ldnpub.content.brand import find_brand, load_brand
from ldnpub.content.search import shipped_root
from ldnpub.render.html import layout_context
from ldnpub.render.sandbox import (MAX_MEMORY, MAX_OUTPUT, BudgetExceeded, LayoutSandbox, Record, _memory_limit, inert, render_bounded)
from ldnpub.edition.tailor import tailor
from ldnpub.base.targets import BuildTarget
from ldnpub.content.load import load_project

INERT = (str, int, float, bool, type(None), dt.date, tuple, Record)


def leaves(value, path="context"):
    """Every value in a context, with where it is."""
    yield path, value
    if isinstance(value, Record):
        for name in value:
            yield from leaves(value[name], f"{path}.{name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]")


@pytest.fixture(scope="module")
def branded_context():
    """A branded booklet's context: brand folder and logo were Path objects, models everywhere."""
    project = load_project(FIXTURES / "mini")
    brand = load_brand(find_brand(project.search, str(shipped_root() / "sources/brands/example-clinic.yaml")))
    edition = tailor(project, BuildTarget("guide", "a4", "cond-x", brand=brand.id, layout="booklet"), brand)
    return layout_context(edition)


# --- the context: plain data -------------------------------------------------------------------

def test_every_value_a_layout_sees_is_inert(branded_context):
    found = {path: type(value).__name__ for path, value in leaves(Record(branded_context))
             if type(value) not in INERT and not isinstance(value, Markup)}
    assert found == {}


def test_paths_reach_a_layout_as_text(branded_context):
    assert isinstance(branded_context["e"]["brand"]["folder"], str)
    assert branded_context["e"]["brand"]["logo"].endswith(".svg")


def test_a_record_has_no_method_a_layout_could_call():
    record = inert({"items": (1, 2), "get": "field"})
    env = LayoutSandbox()
    assert env.from_string("{{ r.items|join(',') }} {{ r.get }}").render(r=record) == "1,2 field"
    with pytest.raises(Exception, match="'parse_raw' is not a field here"):
        env.from_string("{{ r.parse_raw }}", ).render(r=record)
    with pytest.raises(AttributeError):
        record.anything = 1


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text() | st.dates(),
                    lambda children: st.lists(children) | st.dictionaries(st.text(), children), max_leaves=20))
def test_inert_keeps_data_and_drops_nothing_but_mutability(value):
    converted = inert(value)
    for _path, leaf in leaves(converted):
        assert type(leaf) in INERT


@pytest.mark.parametrize("value", [print, Path, object(), lambda: 1, type])
def test_anything_but_data_is_refused(value):
    with pytest.raises(TypeError, match="cannot be handed to a layout"):
        inert({"x": value})


# --- the sandbox: attribute access on data only --------------------------------------------------

@pytest.mark.parametrize("template", [
    '{{ model.model_validate_json("{}") }}',
    '{{ model.parse_raw("x") }}',
    '{{ model.model_dump() }}',
    '{{ path.read_text() }}',
    '{{ path.write_text("owned") }}',
    '{{ path.parent }}',
])
def test_the_sandbox_alone_refuses_a_live_object(tmp_path, template):
    """A model or a Path handed to the sandbox directly (the inert guard bypassed) stays out of reach."""
    from ldnpub.content.model import Organization

    env = LayoutSandbox()
    with pytest.raises(Exception, match="unsafe"):
        env.from_string(template).render(model=Organization(name="x"), path=tmp_path / "target")
    assert not (tmp_path / "target").exists()


@pytest.mark.parametrize("template", ['{{ "{0:>999999999}".format(1) }}', '{{ "a".format_map({}) }}'])
def test_string_format_methods_are_refused(template):
    with pytest.raises(Exception, match="unsafe"):
        LayoutSandbox().from_string(template).render()


def test_layouts_still_use_loops_macros_namespaces_and_string_methods():
    template = LayoutSandbox().from_string(
        "{% macro m(x) %}<{{ x|upper }}>{% endmacro %}{% set ns = namespace(n=0) %}"
        "{% for i in range(3) %}{% set ns.n = ns.n + i %}{{ m(loop.index) }}{% endfor %}"
        "{{ ns.n }} {{ 'a b'.split()|join('-') }} {{ d.isoformat() }}")
    assert render_bounded(template, {"d": dt.date(2026, 1, 2)}) == "<1><2><3>3 a-b 2026-01-02"


# --- bounds, each with a payload only it stops ---------------------------------------------------

@pytest.mark.parametrize("template, message", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "loop steps"),
    ("{% macro m(n) %}{% if n %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}{{ m(40) }}", "loop steps"),
    ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
     "longer than"),
    ("{{ 'x' * 999999999 }}", "longer than"),
    ("{{ ('x',) * 999999999 }}", "longer than"),
    ("{{ 9 ** 99999999 }}", "too high a power"),
    ("{{ '%999999999s' % 'x' }}", "huge width"),
    ("{{ '%999999999s'|format('x') }}", "huge width"),
    ("{{ 'x'|center(999999999) }}", "too large"),
    ("{{ 'x'|indent(999999999, true) }}", "too large"),
])
def test_a_layout_cannot_spend_without_bound(template, message):
    with pytest.raises(BudgetExceeded, match=message):
        render_bounded(LayoutSandbox().from_string(template), {})


def test_the_output_is_bounded():
    template = LayoutSandbox().from_string("{% for i in range(30) %}{{ big }}{% endfor %}")
    with pytest.raises(BudgetExceeded, match=f"more than {MAX_OUTPUT:,} characters"):
        render_bounded(template, {"big": "x" * (MAX_OUTPUT // 20)})


def test_memory_is_bounded_while_a_layout_runs():
    with _memory_limit():
        with pytest.raises(MemoryError):
            bytearray(MAX_MEMORY + 2**30)
    bytearray(2**20)  # and given back afterwards


# --- end to end ---------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    '{{ pub.readability.parse_raw("x", proto="pickle", allow_pickle=True) }}',
    '{{ pub.model_validate_json("{}") }}',
    '{{ e.document.model_dump() }}',
    '{{ target.paper_size.page_size("leaflet") }}',
])
def test_a_layout_that_reaches_for_a_method_fails_with_its_file_and_line(mini_dir, payload):
    layout = leaflet_layout_with(mini_dir, f"<h1>{payload}</h1>")
    line = next(n for n, text in enumerate(layout.read_text().splitlines(), 1) if payload in text)
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 1
    assert f"layouts/leaflet.html:{line}: error: sheet_a4.pdf:" in result.output
    assert "is not a field here" in result.output
    assert not (mini_dir / "dist" / "sheet_a4.pdf").exists()


# --- found by a red team ----------------------------------------------------------------------

def test_loops_over_data_count_toward_the_line_budget(monkeypatch):
    """No range() and no call: three loops nested over a string cost only lines of layout code."""
    from ldnpub.render import sandbox

    monkeypatch.setattr(sandbox, "MAX_LINES", 10_000)
    template = LayoutSandbox().from_string(
        '{% set s = "x" * 3000 %}{% for a in s %}{% for b in s %}{% for c in s %}{% endfor %}{% endfor %}{% endfor %}')
    with pytest.raises(BudgetExceeded, match="more than 10,000 lines of template code"):
        render_bounded(template, {})


def test_the_line_budget_leaves_other_code_untraced():
    import sys

    before = sys.gettrace()
    assert render_bounded(LayoutSandbox().from_string("{% for c in 'abc' %}{{ c }}{% endfor %}"), {}) == "abc"
    assert sys.gettrace() is before


@pytest.mark.parametrize("template, message", [
    ('{{ "ab".zfill(1900000000) }}', "unsafe"),
    ('{{ "ab".ljust(1900000000) }}', "unsafe"),
    ("{{ lipsum(n=100000) }}", "'lipsum' is undefined"),
    ('{{ ("x" * 2000000)|wordwrap(1) }}', "longer than 1,048,576"),
])
def test_widths_and_placeholder_text_are_refused(template, message):
    with pytest.raises(Exception, match=message):
        render_bounded(LayoutSandbox().from_string(template), {})


def test_a_filter_is_not_given_a_huge_value():
    with pytest.raises(BudgetExceeded, match="a filter is given a value longer than"):
        render_bounded(LayoutSandbox().from_string("{{ big|wordwrap(1) }}"), {"big": "x " * 2**20})


def _layout(mini_dir, body: str) -> None:
    leaflet_layout_with(mini_dir, f"<h1>{{{{ e.title }}}}</h1>{body}")


def test_html_nested_too_deeply_to_lay_out_is_a_message(mini_dir):
    _layout(mini_dir, '{{ ("<div>" * 5000) | safe }}')
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 1
    assert "the page's HTML nests too deeply to lay out" in result.output


@pytest.mark.parametrize("markup", ['<link rel="attachment" href="data:application/octet-stream;base64,TVqQ">',
                                    '<a rel="attachment" href="data:text/plain,hello">x</a>'])
def test_a_layout_cannot_attach_files_to_the_pdf(mini_dir, markup):
    _layout(mini_dir, markup)
    result = run("-C", str(mini_dir), "build", "sheet", "-j", "1")
    assert result.exit_code == 1
    assert "the layout attaches 1 file(s) to the PDF" in result.output
    assert not (mini_dir / "dist" / "sheet_a4.pdf").exists()
