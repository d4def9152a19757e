"""Endpoint policy evaluation: what a policy certainly allows, certainly denies, or leaves open."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plinkdocs.analysis import policy as P

ACCT = "222222222222"


def allow(action="*", resource="*", principal="*", **extra):
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": resource, **extra}


def deny(action="*", resource="*", principal="*", **extra):
    return {"Effect": "Deny", "Principal": principal, "Action": action, "Resource": resource, **extra}


def verdict(stmts, action, account=ACCT, resource=None):
    return P.evaluate({"Version": "2012-10-17", "Statement": stmts}, action, account, resource).verdict


# -- document shapes ------------------------------------------------------------------

def test_statement_may_be_one_map_or_a_list():
    one = {"Statement": allow("s3:GetObject")}
    assert P.evaluate(one, "s3:GetObject", ACCT).verdict == P.ALLOW
    assert [s.path for s in P.statements(one)] == [("Statement",)]
    many = {"Statement": [allow("s3:GetObject"), deny("s3:PutObject")]}
    assert [s.path for s in P.statements(many)] == [("Statement", 0), ("Statement", 1)]


def test_action_and_resource_as_string_or_list():
    assert verdict([allow(["s3:GetObject", "s3:PutObject"], ["*"])], "s3:PutObject") == P.ALLOW
    assert verdict([allow("s3:GetObject", "*")], "s3:PutObject") == P.IMPLICIT_DENY


def test_no_policy_is_full_access():
    assert P.evaluate(None, "kms:Decrypt", ACCT).verdict == P.ALLOW


@pytest.mark.parametrize("bad", [
    "not a policy", {"Statement": "x"}, {"Statement": [{"Effect": "Maybe", "Action": "*"}]},
    {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": 3, "Resource": "*"}]},
    {"Statement": [{"Effect": "Allow", "Principal": "*", "Resource": "*"}]}, {}, [],
])
def test_malformed_documents_are_uncertain_not_a_traceback(bad):
    assert P.evaluate(bad, "s3:GetObject", ACCT).verdict == P.UNCERTAIN


# -- actions --------------------------------------------------------------------------

def test_wildcards_in_actions_are_case_insensitive():
    assert verdict([allow("s3:Get*")], "s3:GetObject") == P.ALLOW
    assert verdict([allow("S3:get*")], "s3:GetObject") == P.ALLOW
    assert verdict([allow("s3:GetObjec?")], "s3:GetObject") == P.ALLOW
    assert verdict([allow("s3:GetObjec?")], "s3:GetObjects") == P.IMPLICIT_DENY
    assert verdict([allow("s3:Get*")], "s3:PutObject") == P.IMPLICIT_DENY
    assert verdict([allow("*")], "dynamodb:Query") == P.ALLOW


def test_a_wildcard_need_must_be_covered_whole():
    assert verdict([allow("s3:*")], "s3:Get*") == P.ALLOW
    assert verdict([allow("s3:GetObject")], "s3:Get*") == P.IMPLICIT_DENY
    # covered only by two statements together
    assert verdict([allow("s3:Get*"), allow("s3:Put*")], "s3:Get*") == P.ALLOW


def test_not_action():
    stmt = {"Effect": "Allow", "Principal": "*", "NotAction": "s3:Delete*", "Resource": "*"}
    assert verdict([stmt], "s3:GetObject") == P.ALLOW
    assert verdict([stmt], "s3:DeleteObject") == P.IMPLICIT_DENY
    assert verdict([stmt], "s3:*") == P.IMPLICIT_DENY  # s3:DeleteBucket is part of it


# -- deny ----------------------------------------------------------------------------

def test_explicit_deny_wins_over_allow_and_is_named():
    stmts = [allow("*"), {**deny("s3:PutObject"), "Sid": "NoWrites"}]
    d = P.evaluate({"Statement": stmts}, "s3:PutObject", ACCT)
    assert d.verdict == P.DENY and d.denied
    assert d.statement.sid == "NoWrites" and d.statement.label == "statement `NoWrites`"
    assert d.statement.path == ("Statement", 1)
    assert verdict(stmts, "s3:GetObject") == P.ALLOW


def test_deny_of_part_of_a_wildcard_need():
    assert verdict([allow("s3:*"), deny("s3:DeleteObject")], "s3:*") == P.DENY


def test_conditional_deny_is_uncertain():
    stmts = [allow("*"), deny("s3:PutObject", Condition={"Bool": {"aws:SecureTransport": "false"}})]
    assert verdict(stmts, "s3:PutObject") == P.UNCERTAIN
    assert verdict(stmts, "s3:GetObject") == P.ALLOW


def test_conditional_allow_is_uncertain_not_denied():
    stmts = [allow("s3:GetObject", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-123"}})]
    d = P.evaluate({"Statement": stmts}, "s3:GetObject", ACCT)
    assert d.verdict == P.UNCERTAIN and not d.denied
    assert verdict(stmts, "s3:PutObject") == P.IMPLICIT_DENY


def test_no_allow_at_all_is_an_implicit_deny():
    assert verdict([deny("s3:PutObject")], "s3:GetObject") == P.IMPLICIT_DENY


# -- principals ----------------------------------------------------------------------

@pytest.mark.parametrize("principal,expected", [
    ("*", True),
    ({"AWS": "*"}, True),
    ({"AWS": ACCT}, True),
    ({"AWS": f"arn:aws:iam::{ACCT}:root"}, True),
    ({"AWS": ["arn:aws:iam::333333333333:root", f"arn:aws:iam::{ACCT}:root"]}, True),
    ({"AWS": f"arn:aws:iam::{ACCT}:role/reader"}, None),  # only that role
    ({"AWS": f"arn:aws:sts::{ACCT}:assumed-role/reader/s"}, None),
    ({"AWS": "arn:aws:iam::333333333333:root"}, False),
    ({"AWS": "arn:aws:iam::333333333333:role/x"}, False),
    ({"Service": "ec2.amazonaws.com"}, False),
    ({"Federated": "cognito-identity.amazonaws.com"}, None),
    ({"AWS": "not-an-arn"}, None),
    (None, None),
    (42, None),
])
def test_principal_covers(principal, expected):
    assert P.principal_covers(principal, ACCT) is expected


def test_unknown_account_is_uncertain_for_named_principals():
    assert P.principal_covers({"AWS": "arn:aws:iam::333333333333:root"}, None) is None
    assert P.principal_covers("*", None) is True


def test_allow_for_another_account_is_no_allow_and_says_why():
    stmts = [allow("s3:GetObject", principal={"AWS": "arn:aws:iam::333333333333:root"})]
    d = P.evaluate({"Statement": stmts}, "s3:GetObject", ACCT)
    assert d.verdict == P.IMPLICIT_DENY
    assert "principal does not cover account 222222222222" in d.notes[0]


def test_allow_for_a_role_of_the_account_is_uncertain():
    stmts = [allow("s3:GetObject", principal={"AWS": f"arn:aws:iam::{ACCT}:role/reader"})]
    assert verdict(stmts, "s3:GetObject") == P.UNCERTAIN


def test_deny_for_another_account_does_not_apply():
    stmts = [allow("*"), deny("*", principal={"AWS": "arn:aws:iam::333333333333:root"})]
    assert verdict(stmts, "s3:GetObject") == P.ALLOW


def test_not_principal():
    stmts = [allow("*"), {"Effect": "Deny", "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCT}:root"},
                          "Action": "*", "Resource": "*"}]
    assert verdict(stmts, "s3:GetObject") == P.ALLOW
    assert verdict(stmts, "s3:GetObject", account="333333333333") == P.DENY


def test_missing_principal_is_never_certain():
    stmts = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    assert verdict(stmts, "s3:GetObject") == P.UNCERTAIN
    stmts = [allow("*"), {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]
    assert verdict(stmts, "s3:GetObject") == P.UNCERTAIN


# -- resources -----------------------------------------------------------------------

def test_named_resources_are_uncertain_when_the_request_resource_is_unknown():
    stmts = [allow("s3:GetObject", "arn:aws:s3:::reports/*")]
    assert verdict(stmts, "s3:GetObject") == P.UNCERTAIN
    assert verdict(stmts, "s3:PutObject") == P.IMPLICIT_DENY
    stmts = [allow("*"), deny("s3:GetObject", "arn:aws:s3:::secret/*")]
    assert verdict(stmts, "s3:GetObject") == P.UNCERTAIN


def test_given_resource_is_matched_with_wildcards_case_sensitively():
    stmts = [allow("s3:GetObject", "arn:aws:s3:::reports/*")]
    assert verdict(stmts, "s3:GetObject", resource="arn:aws:s3:::reports/2026/q1.csv") == P.ALLOW
    assert verdict(stmts, "s3:GetObject", resource="arn:aws:s3:::Reports/q1.csv") == P.IMPLICIT_DENY
    stmts = [allow("*"), deny("s3:GetObject", "arn:aws:s3:::secret/*")]
    assert verdict(stmts, "s3:GetObject", resource="arn:aws:s3:::secret/k") == P.DENY
    assert verdict(stmts, "s3:GetObject", resource="arn:aws:s3:::public/k") == P.ALLOW


def test_not_resource():
    stmt = {"Effect": "Allow", "Principal": "*", "Action": "*", "NotResource": "arn:aws:s3:::secret/*"}
    assert verdict([stmt], "s3:GetObject") == P.UNCERTAIN
    assert verdict([stmt], "s3:GetObject", resource="arn:aws:s3:::public/k") == P.ALLOW
    assert verdict([stmt], "s3:GetObject", resource="arn:aws:s3:::secret/k") == P.IMPLICIT_DENY


# -- helpers for the other policy rules -------------------------------------------------

def test_full_access_statement():
    assert P.is_full_access(P.statements({"Statement": allow()})[0])
    assert P.is_full_access(P.statements({"Statement": allow(principal={"AWS": "*"})})[0])
    assert not P.is_full_access(P.statements({"Statement": allow("s3:*")})[0])
    assert not P.is_full_access(P.statements({"Statement": allow(resource="arn:aws:s3:::b/*")})[0])
    assert not P.is_full_access(P.statements({"Statement": allow(principal={"AWS": ACCT})})[0])
    assert not P.is_full_access(P.statements({"Statement": allow(Condition={"Bool": {"x": "y"}})})[0])
    assert not P.is_full_access(P.statements({"Statement": deny()})[0])


def test_policy_length_is_compact_json():
    pol = {"Statement": [allow("s3:GetObject")]}
    text = P.policy_json(pol)
    assert " " not in text and "\n" not in text
    assert P.policy_length(pol) == len(text)


def test_statement_labels():
    stmts = P.statements({"Statement": [allow(), {**allow(), "Sid": "Read"}]})
    assert [s.label for s in stmts] == ["statement `Statement[0]`", "statement `Read`"]
    assert P.statements({"Statement": allow()})[0].label == "the statement"


# -- the wildcard automaton agrees with a plain matcher ---------------------------------

_names = st.text(alphabet="ab:*?", min_size=0, max_size=6)
_words = st.text(alphabet="ab:", min_size=0, max_size=6)


@settings(max_examples=200, deadline=None)
@given(_names, _words)
def test_concrete_needs_agree_with_wildcard_match(pattern, word):
    stmt = allow(pattern)
    expected = P.ALLOW if P.wildcard_match(pattern, word, fold=True) else P.IMPLICIT_DENY
    if word:
        assert verdict([stmt], word) == expected


def _words_upto(n, alphabet="abc"):
    out = [""]
    for _ in range(n):
        out += [w + c for w in out if len(w) == len(out[-1]) for c in alphabet]
    return sorted(set(out))


_SHORT = _words_upto(7)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab*?", min_size=1, max_size=3), st.text(alphabet="ab*?", min_size=0, max_size=3))
def test_wildcard_needs_against_brute_force(need, pattern):
    # `c` stands for any character neither pattern names; words up to length 7 are enough
    # to find a gap between patterns this short
    needed = [w for w in _SHORT if P.wildcard_match(need, w)]
    gap = any(not P.wildcard_match(pattern, w) for w in needed)
    assert verdict([allow(pattern)], need) == (P.IMPLICIT_DENY if gap else P.ALLOW)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab*?", min_size=1, max_size=3),
       st.lists(st.text(alphabet="ab*?", min_size=0, max_size=3), min_size=1, max_size=3),
       st.lists(st.text(alphabet="ab*?", min_size=0, max_size=3), max_size=2))
def test_unions_and_not_action_against_brute_force(need, patterns, excluded):
    # one Allow with several actions, one Allow with NotAction: the union must cover every name
    stmts = [allow(patterns)]
    if excluded:
        stmts.append({"Effect": "Allow", "Principal": "*", "NotAction": excluded, "Resource": "*"})
    needed = [w for w in _SHORT if P.wildcard_match(need, w)]

    def allowed(w):
        return any(P.wildcard_match(p, w) for p in patterns) or (
            bool(excluded) and not any(P.wildcard_match(p, w) for p in excluded))

    gap = any(not allowed(w) for w in needed)
    assert verdict(stmts, need) == (P.IMPLICIT_DENY if gap else P.ALLOW)


def test_large_policies_answer_quickly_or_uncertain():
    import time

    words = ["Get", "Put", "List", "Describe", "Object", "Bucket", "Acl", "Policy", "Tagging", "Version"]
    stmts = [allow([f"s3:{words[i % 10]}{words[(i * 3 + j) % 10]}{'*?'[j % 2] if j % 3 else ''}"
                    for j in range(10)]) for i in range(200)]
    start = time.perf_counter()
    for need in ("s3:GetObject", "s3:*", "s3:Get*Acl", "*", "s3:?e*"):
        assert verdict(stmts, need) in (P.ALLOW, P.IMPLICIT_DENY, P.UNCERTAIN)
    assert time.perf_counter() - start < 5


def _regex(pattern: str):
    """The wildcard's meaning as a regular expression: the reference the matcher is held to."""
    import re

    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S)


@settings(max_examples=300)
@given(st.text("ab*?:-", max_size=6), st.text("ab:-", max_size=6), st.booleans())
def test_wildcard_match_literal_shortcut_agrees_with_the_pattern(pattern, value, fold):
    """A pattern without `*` or `?` is compared as text; the answer is the one the wildcard
    pattern gives."""
    p, v = (pattern.lower(), value.lower()) if fold else (pattern, value)
    assert P.wildcard_match(pattern, value, fold) is (_regex(p).fullmatch(v) is not None)
