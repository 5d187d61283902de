"""The inline patterns on adversarial text: brackets, parentheses, digits and marks in any order.
Speed is bench/'s to measure (`python bench/bench.py --check-only`: 50 KB paragraphs of each kind);
these properties make sure the linear forms still say what the text says."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings, strategies as st

from ldnpub.content import inline
from ldnpub.checks.rules import DOSE

ADVERSARIAL = st.text(alphabet="[]()@ab1.*_ mg\\", max_size=60)


def printed(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


@settings(max_examples=300, deadline=None)
@given(ADVERSARIAL)
def test_brackets_that_open_no_link_print_as_they_are(text):
    """The escaping that keeps markdown-it linear loses no bracket: text without link, citation,
    emphasis or escape syntax prints exactly as written."""
    if inline.LINK_SHAPED.search(text) or inline.CITATION.search(text) or re.search(r"[*_\\]", text):
        return
    assert printed(inline.to_markup(text, {}, {})).replace("\u00a0", " ") == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ", max_size=10), st.text(alphabet="ab/", min_size=1, max_size=10))
def test_a_link_still_renders_among_brackets(words, url):
    text = f"[[ {words} [x](https://{url}) ]]"
    assert f'<a href="https://{url}">x</a>' in inline.to_markup(text, {}, {})
    assert "x" in inline.plain(text, {}) and "https" not in inline.plain(text, {})


@given(st.integers(0, 99), st.integers(0, 9), st.sampled_from(["1 to 5 mg", "4.5 mg", "1-5 mg"]))
def test_a_dose_is_found_where_a_number_starts_only(pad, digit, dose):
    found = [m.group(0) for m in DOSE.finditer(f"{'x' * pad} {dose} and {digit}{dose}")]
    assert found[0] == dose
    assert all(not m.startswith(dose[1:]) or m == dose for m in found)
