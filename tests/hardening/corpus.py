"""The corpus of bad inputs: generated from the bundled designs, plus hand-made hostile files.

Each entry is (id, bytes, expectation) where the expectation names the rules that may
report it and, where the generator knows it, the model path and line of the bad node."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from plinkdocs.core.load import load_text
from plinkdocs.rules.docs import dump

ROOT = Path(__file__).resolve().parents[2]
DESIGNS = sorted((ROOT / "architectures").glob("*.yaml"))


@dataclass
class Case:
    id: str
    data: bytes
    rules: tuple  # the rule ids the finding may carry
    path: tuple | None = None  # the model path the finding must point at, when known
    line: int | None = None
    heavy: bool = False  # run in a bounded subprocess
    valid: bool = False  # a hostile-looking input that is in fact fine


def _source(i: int = 0):
    text = DESIGNS[i % len(DESIGNS)].read_text()
    return text, load_text(text).data


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, path + (i,))
    else:
        yield path, node


def _mappings(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _mappings(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _mappings(v, path + (i,))


def _set(data, path, value):
    d = copy.deepcopy(data)
    node = d
    for seg in path[:-1]:
        node = node[seg]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return d


_DELETE = object()


def _wrong(value):
    if isinstance(value, bool):
        return "maybe"
    if isinstance(value, (int, float)):
        return "lots"
    if isinstance(value, str):
        return [value]
    return {"oops": 1}


def _spread(items, n):
    items = list(items)
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def syntax_errors(n=40):
    out = []
    breakers = ["key: [unclosed", "  - : :", "\"open quote", "{a: 1", "key: value: other", "? ", "@reserved",
                "`backtick", "- item\nkey: v", "]"]
    for di in range(len(DESIGNS)):
        text, _ = _source(di)
        lines = text.splitlines()
        for j, ln in enumerate(_spread(range(3, len(lines)), n // len(DESIGNS) + 1)):
            br = breakers[(di + j) % len(breakers)]
            new = lines[:ln] + [br] + lines[ln:]
            out.append(Case(f"syntax-{DESIGNS[di].stem}-{ln + 1}", ("\n".join(new) + "\n").encode(),
                            ("PL001", "PL002", "PL003", "PL004", "PL005")))
    return out[:n]


def wrong_types(n=60):
    out = []
    for di in range(len(DESIGNS)):
        _, data = _source(di)
        leaves = [(p, v) for p, v in _leaves(data) if not (p and str(p[-1]).startswith("x-"))
                  and "policy" not in p]
        for p, v in _spread(leaves, n // len(DESIGNS) + 1):
            out.append(Case(f"type-{DESIGNS[di].stem}-{'.'.join(map(str, p))}",
                            dump(_set(data, p, _wrong(v))).encode(), ("PL003",), path=p))
    return out[:n]


def missing_keys(n=30):
    required = {"version", "name", "title", "region", "accounts", "vpcs", "account", "cidrs", "vpc", "type",
                "service", "load_balancers", "target_type", "port", "protocol", "endpoint", "id", "reason",
                "rule", "target", "requester", "accepter"}
    out = []
    for di in range(len(DESIGNS)):
        _, data = _source(di)
        cands = [(p + (k,)) for p, m in _mappings(data) for k in m if k in required and "policy" not in p]
        for p in _spread(cands, n // len(DESIGNS) + 1):
            out.append(Case(f"missing-{DESIGNS[di].stem}-{'.'.join(map(str, p))}",
                            dump(_set(data, p, _DELETE)).encode(), ("PL003", "PL004"), path=p[:-1]))
    return out[:n]


def unknown_keys(n=30):
    out = []
    for di in range(len(DESIGNS)):
        _, data = _source(di)
        maps = [(p, m) for p, m in _mappings(data) if "policy" not in p and not (len(p) in (1,) and p[0] in (
            "accounts", "vpcs", "security_groups", "load_balancers", "endpoint_services", "endpoints", "workloads"))
            and not (p and p[-1] in ("subnets", "target_groups"))]
        for p, m in _spread(maps, n // len(DESIGNS) + 1):
            out.append(Case(f"unknown-{DESIGNS[di].stem}-{'.'.join(map(str, p)) or 'top'}",
                            dump(_set(data, p + ("colour",), "blue") if p or True else data).encode(),
                            ("PL003",), path=p + ("colour",)))
    return out[:n]


_REF_KEYS = {"account", "vpc", "security_group", "target_group", "endpoint", "requester", "accepter",
             "load_balancer", "subnet"}


def dangling_refs(n=30):
    out = []
    for di in range(len(DESIGNS)):
        _, data = _source(di)
        cands = [p for p, v in _leaves(data) if isinstance(v, str) and (
            (p and p[-1] in _REF_KEYS) or (len(p) >= 2 and p[-2] in ("subnets", "security_groups", "vpcs")
                                           and isinstance(p[-1], int)))]
        for p in _spread(cands, n // len(DESIGNS) + 1):
            out.append(Case(f"ref-{DESIGNS[di].stem}-{'.'.join(map(str, p))}",
                            dump(_set(data, p, "no-such-thing")).encode(), ("PL004",), path=p))
    return out[:n]


def duplicate_keys(n=12):
    out = []
    for di in range(len(DESIGNS)):
        text, _ = _source(di)
        lines = text.splitlines()
        keyed = [i for i, l in enumerate(lines) if l and not l.lstrip().startswith(("#", "-")) and ":" in l
                 and not l.rstrip().endswith("|")]
        for i in _spread(keyed, n // len(DESIGNS) + 1):
            new = lines[: i + 1] + [lines[i]] + lines[i + 1:]
            # a block value under the repeated key would nest; repeat only single-line entries
            if lines[i].rstrip().endswith(":"):
                continue
            out.append(Case(f"dup-{DESIGNS[di].stem}-{i + 2}", ("\n".join(new) + "\n").encode(),
                            ("PL002",), line=i + 2))
    return out[:n]


def hostile():
    base = (ROOT / "architectures" / "saas-analytics.yaml").read_bytes()
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        laughs.append(f"{name}: &{name} [" + ",".join(["*" + "abcdefghi"[i]] * 9) + "]")
    big = b"version: 1\nx-padding:\n" + b"".join(b"  - " + b"x" * 70 + b"\n" for _ in range(400_000))
    cases = [
        Case("alias-bomb", ("\n".join(laughs) + "\n").encode(), ("PL005",), heavy=True),
        Case("alias-recursive", b"a: &a\n  b: *a\n", ("PL005",)),
        Case("deep-block", ("".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n").encode(),
             ("PL005",), heavy=True),
        Case("deep-flow", b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", ("PL005",), heavy=True),
        Case("deep-flow-mapping", b"a: " + b"{b: " * 800 + b"1" + b"}" * 800 + b"\n", ("PL005",), heavy=True),
        Case("tens-of-megabytes", big * 1, ("PL005",), heavy=True),
        Case("binary-random", bytes((i * 7919 + 13) % 256 for i in range(4096)), ("PL001",)),
        Case("binary-nul", b"version: 1\x00\nname: x\n", ("PL001",), line=1),
        Case("invalid-utf8", base.replace(b"title: ", b"title: \xc3\x28 ", 1), ("PL001",)),
        Case("utf16-without-bom", "version: 1\n".encode("utf-16-le"), ("PL001",)),
        Case("bom", b"\xef\xbb\xbf" + base, (), valid=True),
        Case("crlf", base.replace(b"\n", b"\r\n"), (), valid=True),
        Case("bom-crlf", b"\xef\xbb\xbf" + base.replace(b"\n", b"\r\n"), (), valid=True),
        Case("tab-indent", base.replace(b"\n  provider:", b"\n\tprovider:", 1), ("PL001",)),
        Case("python-tag", b"version: 1\nname: !!python/object/apply:os.system ['touch /tmp/pwned']\n", ("PL005",)),
        Case("python-name-tag", b"version: !!python/name:os.system\n", ("PL005",)),
        Case("custom-tag", b"version: 1\ntitle: !Ref Something\n", ("PL005",)),
        Case("set-tag", b"tags: !!set {a, b}\n", ("PL005",)),
        Case("binary-tag", b"title: !!binary aGVsbG8=\n", ("PL005",)),
        Case("huge-int", base.replace(b"port: 443", b"port: " + b"9" * 5000, 1), ("PL003",)),
        Case("huge-negative", base.replace(b"count: 3", b"count: -" + b"9" * 400, 1), ("PL003",)),
        Case("nan", base.replace(b"monthly_usd: 250", b"monthly_usd: .nan"), ("PL005",)),
        Case("inf", base.replace(b"monthly_usd: 250", b"monthly_usd: .inf"), ("PL005",)),
        Case("neg-inf", base.replace(b"gb_per_month: 800", b"gb_per_month: -.Inf"), ("PL005",)),
        Case("empty", b"", ("PL003",)),
        Case("whitespace-only", b"   \n\n  \n", ("PL003",)),
        Case("comment-only", b"# nothing here\n", ("PL003",)),
        Case("null-document", b"~\n", ("PL003",)),
        Case("scalar-document", b"just a string\n", ("PL003",)),
        Case("list-document", b"- version: 1\n", ("PL003",)),
        Case("two-documents", base + b"\n---\n" + base, ("PL005",)),
        Case("document-end-then-junk", b"version: 1\n...\n]]]\n", ("PL001", "PL005")),
        Case("non-ascii-id", base.replace(b"  acme-prod:\n", "  acme-pröd:\n".encode(), 1), ("PL003",)),
        Case("non-ascii-title", base.replace(b"title: Analytics", "title: Analytïcs ☃ 分析".encode(), 1), (), valid=True),
        Case("emoji-key", "version: 1\n🔥: hot\n".encode(), ("PL003",)),
        Case("control-char", b"version: 1\ntitle: a\x07b\n", ("PL001",)),
        Case("complex-key", b"? [a, b]\n: c\n", ("PL005",)),
        Case("merge-non-mapping", b"a:\n  <<: 3\n", ("PL001",)),
        Case("anchor-undefined", b"a: *nope\n", ("PL001",)),
        Case("very-long-line", b"version: 1\ntitle: " + b"x" * 2_000_000 + b"\n", ("PL003",), heavy=True),
        Case("many-keys", b"version: 1\n" + b"".join(b"x-k%d: 1\n" % i for i in range(100_000)), ("PL003",),
             heavy=True),
        Case("directive-yaml-11", b"%YAML 1.1\n---\nversion: 1\n", ("PL003",)),
        Case("bad-directive", b"%YAML 9.9\n---\nversion: 1\n", ("PL001", "PL003")),
        Case("only-dashes", b"---\n", ("PL003",)),
        Case("key-without-value", b"version:\nname:\n", ("PL003",)),
        Case("number-name", b"version: 1\nname: 12345\n", ("PL003",)),
        Case("bool-version", b"version: true\n", ("PL003",)),
        Case("octal-like", base.replace(b'id: "111122223333"', b"id: 0111122223333", 1), ("PL003",)),
        Case("alias-chain-1000", ("a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 1000))
                                  ).encode(), ("PL005",), heavy=True),
        Case("alias-deep-into-condition", _deep_condition(), ("PL005",)),
    ]
    # libyaml breaks lines at these too (YAML 1.1); editors and git do not: the error stays on line 3
    for name, ch in (("u2028", "\u2028"), ("u0085", "\u0085"), ("u2029", "\u2029")):
        cases.append(Case(f"line-separator-{name}", f'version: 1\ntitle: "a{ch}b{ch}c"\nname: 12345\n'.encode(),
                          ("PL003",), line=3))
    return cases


def _deep_condition() -> bytes:
    """A design whose endpoint policy's Condition takes, through an alias, a structure
    anchored near the top that is deeper than the limit once placed there."""
    text = (ROOT / "architectures" / "aws-services-private.yaml").read_text()
    deep = "[" * 45 + "1" + "]" * 45
    text = text.replace("\nvpcs:", f"\nx-deep: &deep {deep}\nvpcs:", 1)
    text = text.replace("          Effect: Allow\n", "          Effect: Allow\n          Condition: {StringEquals: {x: *deep}}\n", 1)
    assert "*deep" in text and "&deep" in text
    return text.encode()


def _still_bad(cases):
    """Generated mutations that happen to leave a valid design (an optional key removed) are not bad input."""
    from plinkdocs.core import schema

    out = []
    for c in cases:
        doc = load_text(c.data.decode())
        if doc.data is not None and not doc.findings and schema.validator().is_valid(doc.data):
            continue
        out.append(c)
    return out


def corpus() -> list[Case]:
    generated = _still_bad(wrong_types() + missing_keys() + unknown_keys())
    return syntax_errors() + generated + dangling_refs() + duplicate_keys() + hostile()
