"""Wildcard matching takes time linear in its input, however the pattern is made; line
numbers count only the line breaks editors and git count."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plinkdocs.analysis import policy as P
from plinkdocs.core.load import load_text
from plinkdocs.pipeline.check import check_text

PATHOLOGICAL = "kms:" + "*a" * 14 + "*b"
BOUND = 1.0  # CPU seconds; the linear matcher needs a few hundredths, a backtracking one minutes
# CPU time of this process, not wall time: a loaded machine (CI, parallel workers) must not
# make a linear matcher look slow.
_clock = time.process_time


def test_a_pathological_pattern_is_matched_in_bounded_time():
    start = _clock()
    assert not P.wildcard_match(PATHOLOGICAL, "kms:" + "a" * 100_000)
    assert P.wildcard_match(PATHOLOGICAL, "kms:" + "a" * 100_000 + "b")
    assert _clock() - start < BOUND


def test_a_pathological_pattern_in_a_policy_is_evaluated_in_bounded_time():
    doc = {"Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Principal": "*", "Action": PATHOLOGICAL, "Resource": "*"}]}
    start = _clock()
    assert P.evaluate(doc, "kms:" + "a" * 20_000).verdict == P.IMPLICIT_DENY
    assert _clock() - start < BOUND


def test_matching_time_grows_linearly_with_the_value():
    def seconds(n):
        value = "kms:" + "a" * n
        best = float("inf")
        for _ in range(5):  # the best of five: a pause of the process counts once at most
            start = _clock()
            P.wildcard_match(PATHOLOGICAL, value)
            best = min(best, _clock() - start)
        return best

    small, large = seconds(20_000), seconds(200_000)
    assert large < 30 * max(small, 1e-4)  # ten times the input: about ten times the time, not a power of it


def _reference(pattern: str, value: str) -> bool:
    return re.fullmatch("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern),
                        value, re.S) is not None


@settings(max_examples=500)
@given(st.text("ab*?", max_size=8), st.text("ab", max_size=10), st.booleans())
def test_the_matcher_means_what_the_wildcards_mean(pattern, value, fold):
    if fold:
        value = value.upper()
    want = _reference(pattern.lower(), value.lower()) if fold else _reference(pattern, value)
    assert P.wildcard_match(pattern, value, fold) is want


# -- positions --------------------------------------------------------------------------

EXTRA = {"U+2028": "\u2028", "U+0085": "\u0085", "U+2029": "\u2029"}


@pytest.mark.parametrize("name", EXTRA)
def test_a_unicode_line_separator_does_not_shift_line_numbers(name):
    ch = EXTRA[name]
    text = f'version: 1\ntitle: "one{ch}two{ch}three"\nname: 12345\nextra: [\n'
    doc = load_text(text)
    (f,) = doc.findings
    assert (f.line, f.column) == (5, 1), (name, f.line, f.column)  # the unclosed list, at the end
    r = check_text(f'version: 1\ntitle: "a{ch}b"\nname: 12345\n')
    assert any(f.rule == "PL003" and f.path == ("name",) and (f.line, f.column) == (3, 7) for f in r.findings), \
        [(f.rule, f.path, f.line, f.column) for f in r.findings]


@pytest.mark.parametrize("name", EXTRA)
def test_positions_after_a_separator_on_the_same_line_count_columns_from_the_real_line_start(name):
    ch = EXTRA[name]
    doc = load_text(f'a: "x{ch}y"\nb: 1\nb: 2\n')
    (f,) = [f for f in doc.findings if f.rule == "PL002"]
    assert (f.line, f.column) == (3, 1)
    assert doc.locate(("a",)) == (1, 4)
    assert doc.span(("a",)) == (1, 4, 1, 9)  # `"x?y"` is five characters long


@pytest.mark.parametrize("name", EXTRA)
def test_inline_disable_comments_are_on_the_editors_line(name):
    ch = EXTRA[name]
    doc = load_text(f'a: "x{ch}y"\nb: 1  # plinkdocs: disable=PL202\n')
    assert doc.disabled == {2: {"PL202"}}


@pytest.mark.parametrize("ch,rule", [("\x0b", "PL001"), ("\x0c", "PL001")])
def test_vertical_tab_and_form_feed_are_refused_at_their_position(ch, rule):
    doc = load_text(f"version: 1\ntitle: a{ch}b\n")
    (f,) = doc.findings
    assert (f.rule, f.line, f.column) == (rule, 2, 9)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_the_three_line_breaks_editors_count_are_counted(eol):
    text = eol.join(["version: 1", 'title: "a\u2028b"', "name: 12345", ""])
    r = check_text(text)
    assert any(f.path == ("name",) and f.line == 3 for f in r.findings)


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["x", " ", "\u2028", "\u0085", "\u2029", "é"]), max_size=12),
       st.integers(0, 5), st.sampled_from(["\n", "\r\n", "\r"]))
def test_the_line_of_a_key_is_the_line_an_editor_shows(chars, blank, eol):
    inside = "".join(chars)
    lines = ["version: 1", f'title: "{inside}"'] + [""] * blank + ["name: 12345"]
    text = eol.join(lines) + eol
    doc = load_text(text)
    want = re.split(r"\r\n|\r|\n", text).index("name: 12345") + 1  # as editors count
    assert doc.locate(("name",), key=True) == (want, 1)
