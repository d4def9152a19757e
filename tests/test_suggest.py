""""Did you mean": one helper, used by the schema translator for designs and by the configuration."""

from __future__ import annotations

import pytest

from plinkdocs.core.errors import ConfigError
from plinkdocs.core.suggest import closest, did_you_mean
from plinkdocs.pipeline.check import check_text
from plinkdocs.pipeline.config import load_config
from plinkdocs.rules import docs


@pytest.mark.parametrize("word, candidates, expected", [
    ("az", ["az_id", "cidr"], "az_id"),  # a prefix of a longer key
    ("us-east1", ["us-east-1", "us-west-1"], "us-east-1"),
    ("acceptance_requird", ["acceptance_required", "allowed_principals"], "acceptance_required"),
    ("Private-DNS", ["private_dns"], "private_dns"),
    ("zzz", ["az_id", "cidr"], None),
    ("cidr", ["cidr"], None),  # not a misspelling
])
def test_closest(word, candidates, expected):
    assert closest(word, candidates) == expected
    assert did_you_mean(word, candidates) == (f"did you mean `{expected}`?" if expected else "")


def findings(old: str, new: str):
    text = docs.base_text()
    assert old in text
    return [f for f in check_text(text.replace(old, new, 1)).findings if f.rule == "PL003"]


def test_region_id():
    (f,) = findings("region: us-east-1", "region: us-east1")
    assert f.model_path == "region" and f.fix == "did you mean `us-east-1`?"


def test_az_id():
    (f,) = findings("az_id: use1-az1", "az_id: use1az1")
    assert f.fix == "did you mean `use1-az1`?"


def test_az_id_under_az_suggests_the_key():
    (f,) = findings("az_id: use1-az1", "az: use1-az1")
    assert f.model_path.endswith(".az") and f.fix.startswith("did you mean `az_id: use1-az1`?")


def test_az_name():
    (f,) = findings("az_id: use1-az1", "az: us-east-1")
    assert f.fix == "did you mean `us-east-1a`?"


def test_unknown_key_and_enum():
    (f,) = findings("flow_logs: true", "flow_log: true")
    assert f.message.startswith("unknown key `flow_log`") and f.fix == "did you mean `flow_logs`?"
    text = docs.base_text()
    kind = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("type: "))
    (f,) = findings(f"type: {kind}", f"type: {kind[:-1]}")
    assert f.fix == f"did you mean `{kind}`?"


def test_path_is_written_the_same_in_message_and_field():
    (f,) = findings("ports: 443, security_group: client}", "ports: 443, security_group: client, bogus: 1}")
    assert f.model_path == "security_groups.app-endpoint.ingress[0].bogus"
    assert f.message == "unknown key `bogus` in `security_groups.app-endpoint.ingress[0]`"
    (f,) = findings("{protocol: tcp, ports: 443, security_group: client}", "{ports: 443, security_group: client}")
    assert f.model_path == "security_groups.app-endpoint.ingress[0]"
    assert f.message.startswith(f"`{f.model_path}` is missing the required key `protocol`")


def test_every_fix_is_an_action():
    bad = docs.base_text().replace("flow_logs: true", "flow_logs: 3", 1)
    for f in check_text(bad).findings:
        assert f.fix and f.fix[0].islower() and not f.fix.endswith("."), f.fix


@pytest.mark.parametrize("text, hint", [
    ("selct: [PL2]\n", "did you mean `select`?"),
    ("severity:\n  PL2O1: warning\n", "did you mean `PL201`?"),
    ("severity:\n  PL201: warn\n", "did you mean `warning`?"),
    ("limits:\n  max_byte: 10\n", "did you mean `max_bytes`?"),
])
def test_config_keys(tmp_path, text, hint):
    p = tmp_path / ".plinkdocs.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError) as e:
        load_config(p)
    assert hint in str(e.value)


def test_references_suggest_the_closest_id():
    text = docs.base_text()
    fs = [f for f in check_text(text.replace("service: app", "service: ap", 1)).findings if f.rule == "PL004"]
    assert [f.fix for f in fs] == ["did you mean `app`?"]
    fs = [f for f in check_text(text.replace("subnets: [consumer-a, consumer-b]\n    security_groups: [app-endpoint]",
                                             "subnets: [consumer-a, consumer-bb]\n    security_groups: [app-endpoint]",
                                             1)).findings if f.rule == "PL004"]
    assert [f.fix for f in fs] == ["did you mean `consumer-b`?"]
