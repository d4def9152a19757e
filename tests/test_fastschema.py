"""The compiled validity check agrees with jsonschema, so the fast path never lets an invalid file through."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plinkdocs.core import schema
from plinkdocs.core.fastschema import Unsupported, compile_schema
from plinkdocs.core.load import load_file, load_text
from tests.helpers import design_text

ROOT = Path(__file__).resolve().parent.parent


def agree(data) -> bool:
    return schema.fast_check()(data) == schema.validator().is_valid(data)


def bundled():
    return [load_file(p).data for p in sorted((ROOT / "architectures").glob("*.yaml"))]


def fixture_designs():
    out = []
    for f in sorted((ROOT / "tests" / "rules" / "fixtures").glob("*.yaml")):
        for case in yaml.safe_load(f.read_text())["cases"].values():
            doc = load_text(design_text(case.get("design"), case.get("text")))
            if doc.data is not None:
                out.append(doc.data)
    return out


def test_the_schema_compiles():
    assert schema.fast_check() is not None


def test_agrees_on_bundled_and_fixture_designs():
    designs = bundled() + fixture_designs()
    assert len(designs) > 20
    for d in designs:
        assert agree(d)


@pytest.mark.parametrize("path,value", [
    (("version",), True),            # true is not 1
    (("version",), 1.0),             # 1.0 is the integer 1
    (("budget", "monthly_usd"), False),
    (("tags",), ["a", "a"]),
    (("review",), {"decided": "2026-02-30"}),
    (("review",), {"decided": "2026-2-3"}),
    (("vpcs", "consumer", "subnets", "consumer-a"), {"az_id": "use1-az1", "az": "us-east-1a"}),
    (("vpcs", "consumer", "subnets", "Bad_Id"), {"az_id": "use1-az1"}),
    (("endpoints", "app", "x-note"), {"anything": [1, 2]}),
    (("endpoints", "app", "policy"), {"Statement": {"Effect": "Allow", "Action": 3}}),
])
def test_agrees_on_edge_cases(path, value):
    d = copy.deepcopy(bundled()[0])
    node = d
    for seg in path[:-1]:
        node = node.setdefault(seg, {})
    node[path[-1]] = value
    assert agree(d)


def test_unknown_keywords_are_refused():
    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "dependentRequired": {"a": ["b"]}})
    with pytest.raises(Unsupported):
        compile_schema({"type": "string", "format": "email"})


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=False, allow_infinity=False),
                     st.sampled_from(["", "tcp", "use1-az1", "10.0.0.0/8", "443", "8000-8100", "*", "2026-01-01",
                                      "arn:aws:iam::222222222222:root", "aws:s3", "x"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_agrees_on_random_mutations(data):
    d = copy.deepcopy(bundled()[data.draw(st.integers(0, 5))])
    # walk to a random node and replace or delete it
    node, key = d, None
    for _ in range(data.draw(st.integers(1, 6))):
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = data.draw(st.integers(0, len(node) - 1))
        else:
            break
        if not isinstance(node[key], (dict, list)):
            break
        node = node[key]
        key = None
    if key is None:
        if isinstance(node, dict):
            node[data.draw(st.sampled_from(["x-a", "bogus", "id", "ports"]))] = data.draw(_scalars)
        elif isinstance(node, list):
            node.append(data.draw(_scalars))
    elif data.draw(st.booleans()):
        node[key] = data.draw(_scalars)
    elif isinstance(node, dict):
        del node[key]
    assert agree(d)


def _same_as_jsonschema(schema_, instances):
    import jsonschema

    check = compile_schema(schema_)
    validator = jsonschema.Draft202012Validator(schema_, format_checker=jsonschema.FormatChecker())
    for instance in instances:
        assert check(instance) == validator.is_valid(instance), (schema_, instance, check.source)


_ANY = [None, True, False, 0, 1, 1.0, 1.5, -3, "", "a", "2026-01-31", "2026-02-30", [], [1], ["a", "a"], {},
        {"a": 1}, {"x-a": "y"}]


@pytest.mark.parametrize("schema_,extra", [
    ({"type": "object"}, []), ({"type": "array"}, []), ({"type": "string"}, []), ({"type": "boolean"}, []),
    ({"type": "null"}, []), ({"type": "integer"}, [2.0, 2.5, True]), ({"type": "number"}, [True, 3]),
    ({"type": ["string", "integer"]}, []),
    ({"enum": ["a", "b"]}, ["b", "c"]), ({"enum": [1, "a", None, True]}, [1.0, True, 1]),
    ({"const": 1}, [1.0, True]), ({"const": "a"}, []),
    ({"pattern": "^a+$"}, ["aa", "ab", 7]), ({"type": "string", "pattern": "b"}, ["abc"]),
    ({"format": "date"}, ["2026-1-3", 5]),
    ({"minimum": 1}, [0.5, 1, True]), ({"maximum": 1}, [2, 1]), ({"exclusiveMinimum": 1}, [1, 1.01]),
    ({"exclusiveMaximum": 1}, [1, 0.99]),
    ({"minLength": 2}, ["ab", "a"]), ({"maxLength": 1}, ["ab", "é"]),
    ({"minItems": 1}, [[1]]), ({"maxItems": 1}, [[1, 2]]),
    ({"uniqueItems": True}, [[1, 1.0], [1, True], [{"a": 1}, {"a": 1}], [[1], [2]]]),
    ({"items": {"type": "string"}}, [["a", 1]]), ({"items": {"description": "anything"}}, [[1, "a"]]),
    ({"type": "array", "items": {"type": "integer", "minimum": 0}}, [[0, 1], [-1]]),
    ({"required": ["a"]}, [{"a": None}, {"b": 1}]),
    ({"propertyNames": {"pattern": "^[a-z]+$"}}, [{"ab": 1}, {"A": 1}]),
    ({"properties": {"a": {"type": "string"}}}, [{"a": "x"}, {"a": 1}]),
    ({"properties": {"a": {"description": "free"}}, "additionalProperties": False}, [{"a": 1}, {"b": 1}]),
    ({"properties": {"a": True}, "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False},
     [{"x-a": 1}, {"a": 1, "x-b": "s"}, {"b": 1}]),
    ({"properties": {"x-a": {"type": "string"}}, "patternProperties": {"^x-": {"minLength": 2}}},
     [{"x-a": "s"}, {"x-a": "st"}]),  # a named property also meets the patterns its name matches
    ({"additionalProperties": {"type": "integer"}}, [{"a": 1, "b": "2"}]),
    ({"patternProperties": {"a": {"type": "integer"}, "b": {"minimum": 3}}}, [{"ab": 2}, {"ab": 3}, {"c": "x"}]),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, []),
    ({"oneOf": [{"type": "integer"}, {"minimum": 2}]}, [3, 1, 2.5]),
    ({"allOf": [{"type": "integer"}, {"minimum": 2}]}, [3, 1]),
    ({"not": {"type": "string"}}, []),
    (True, []), (False, []), ({}, []),
    ({"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}},
                         "additionalProperties": False}}, "$ref": "#/$defs/node"},
     [{"next": {"next": {}}}, {"next": {"next": {"bad": 1}}}]),
    ({"$defs": {"id": {"type": "string", "pattern": "^[a-z]+$"}}, "properties": {"a": {"$ref": "#/$defs/id"}}},
     [{"a": "ok"}, {"a": "NO"}]),
])
def test_each_keyword_agrees_with_jsonschema(schema_, extra):
    _same_as_jsonschema(schema_, _ANY + extra)


def test_schema_text_never_becomes_code():
    """Property names, patterns and enums travel as values: quotes, newlines and code in them
    are just text."""
    evil = "a'] or True or ['\n\"\"\" import os"
    schema_ = {"type": "object", "properties": {evil: {"enum": [evil, "x\\"]}},
               "patternProperties": {"^\\'": {"const": evil}}, "required": [evil], "additionalProperties": False}
    _same_as_jsonschema(schema_, [{evil: evil}, {evil: "y"}, {}, {evil: "x\\"}, {evil: evil, "'q": evil},
                                  {evil: evil, "'q": 1}, {evil: evil, "b": 1}])


def test_the_compiled_source_is_readable():
    source = compile_schema({"type": "object", "properties": {"name": {"type": "string"}}}).source
    assert source.startswith("def ") and "isinstance" in source
