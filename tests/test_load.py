"""The loader: positions, YAML 1.2 scalars, and every class of bad input as a finding."""

from __future__ import annotations

import pytest

from plinkdocs.core.load import Limits, load_bytes, load_file, load_text


def rules_of(doc):
    return [f.rule for f in doc.findings]


def test_positions_block_and_flow_at_several_depths():
    text = (
        "a:\n"
        "  b:\n"
        "    - x\n"
        "    - {c: 1, d: [10, 20]}\n"
        "e: {f: {g: [h, i]}}\n"
    )
    doc = load_text(text)
    assert doc.locate(("a",)) == (2, 3)
    assert doc.locate(("a", "b", 0)) == (3, 7)
    assert doc.locate(("a", "b", 1, "c")) == (4, 11)
    assert doc.locate(("a", "b", 1, "d", 1)) == (4, 22)
    assert doc.locate(("e", "f", "g", 1)) == (5, 16)
    assert doc.locate(("a", "b", 1, "d"), key=True) == (4, 14)
    # a path that goes past what exists stops at the deepest node found
    assert doc.locate(("a", "b", 1, "missing")) == (4, 7)


def test_yaml_12_scalars():
    doc = load_text("a: yes\nb: on\nc: true\nd: 2026-01-31\ne: 0o17\nf: 0x1f\ng: 012\nh: ~\ni: 1.5e3\nj: '1'\n")
    assert doc.data == {"a": "yes", "b": "on", "c": True, "d": "2026-01-31", "e": 15, "f": 31, "g": 12,
                        "h": None, "i": 1500.0, "j": "1"}


def test_keys_are_strings_as_written():
    assert load_text("1: a\ntrue: b\n").data == {"1": "a", "true": "b"}


def test_merge_keys_are_supported_and_located():
    doc = load_text("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n")
    assert doc.data["item"] == {"x": 1, "y": 3}
    assert doc.locate(("item", "x")) == (1, 14)


def test_syntax_error_position():
    doc = load_text("a: 1\nb: [1, 2\nc: 3\n")
    assert rules_of(doc) == ["PL001"] and doc.data is None
    f = doc.findings[0]
    assert (f.line, f.column) == (3, 2)


def test_tab_indentation_is_a_syntax_error():
    doc = load_text("a:\n\tb: 1\n")
    assert rules_of(doc) == ["PL001"]
    assert doc.findings[0].line == 2


def test_duplicate_key_at_second_occurrence():
    doc = load_text("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert rules_of(doc) == ["PL002"]
    f = doc.findings[0]
    assert (f.line, f.column) == (4, 3) and f.path == ("b", "c") and "line 3" in f.message
    assert doc.data == {"a": 1, "b": {"c": 2}}


@pytest.mark.parametrize("text,needle", [
    ("a: !!python/object/apply:os.system [echo]\n", "tag"),
    ("a: !custom x\n", "tag"),
    ("a: 1\n---\nb: 2\n", "more than one YAML document"),
    ("a: .nan\n", "finite"),
    ("a: -.inf\n", "finite"),
    ("? [a, b]\n: c\n", "plain string"),
    ("a: &a [*a]\n", "recursive"),
])
def test_unsupported_yaml(text, needle):
    doc = load_text(text)
    assert rules_of(doc) == ["PL005"], doc.findings
    assert needle in doc.findings[0].message
    assert doc.data is None


def test_alias_bomb_is_bounded():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    doc = load_text("\n".join(lines) + "\n")
    assert rules_of(doc) == ["PL005"] and "alias" in doc.findings[0].message


def test_depth_limit():
    deep = "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v\n"
    doc = load_text(deep, limits=Limits(max_depth=50))
    assert rules_of(doc) == ["PL005"] and "deeper than 50" in doc.findings[0].message
    assert load_text(deep, limits=Limits(max_depth=100)).data is not None


def test_flow_depth_beyond_the_parser():
    doc = load_text("a: " + "[" * 2000 + "]" * 2000 + "\n")
    assert rules_of(doc) == ["PL005"]


def test_size_limit(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text("a: " + "x" * 2000 + "\n")
    doc = load_file(p, "big.yaml", Limits(max_bytes=1000))
    assert rules_of(doc) == ["PL005"] and "over the limit" in doc.findings[0].message


def test_invalid_utf8_position():
    doc = load_bytes(b"a: 1\nb: caf\xe9\n", "x.yaml")
    assert rules_of(doc) == ["PL011"]
    f = doc.findings[0]
    assert (f.line, f.column) == (2, 7) and "UTF-8" in f.message


def test_bom_and_crlf_are_fine():
    doc = load_bytes(b"\xef\xbb\xbfa: 1\r\nb:\r\n  c: x\r\n", "x.yaml")
    assert doc.findings == [] and doc.data == {"a": 1, "b": {"c": "x"}}
    assert doc.locate(("b", "c")) == (3, 6)


def test_binary_data_is_a_finding():
    doc = load_bytes(bytes(range(256)), "x.yaml")
    assert rules_of(doc) == ["PL011"]


def test_unreadable_file(tmp_path):
    doc = load_file(tmp_path / "nope.yaml", "nope.yaml")
    assert rules_of(doc) == ["PL011"] and "cannot read" in doc.findings[0].message


def test_inline_disable_comments():
    doc = load_text("a: 1  # plinkdocs: disable=PL202, pl203\nb: 2\n")
    assert doc.disabled == {1: {"PL202", "PL203"}}
