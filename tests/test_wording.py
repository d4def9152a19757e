"""core/wording: the one way plinkdocs words counts and lists."""

from decimal import Decimal

from plinkdocs.analysis.cost import qty
from plinkdocs.core.wording import count, id_list, plain_list, plural


def test_plural_and_count():
    assert [count(n, "endpoint") for n in (0, 1, 2)] == ["0 endpoints", "1 endpoint", "2 endpoints"]
    assert plural(1, "AZ") == "AZ" and plural(3, "AZ") == "AZs"
    assert count(2, "policy", "policies") == "2 policies"
    assert count(1460, "AZ-hour", number=qty) == "1,460 AZ-hours" and count(Decimal(1), "GB") == "1 GB"


def test_lists():
    assert id_list(["a", "b"]) == "`a`, `b`"
    assert id_list("abcdef", limit=4) == "`a`, `b`, `c`, `d` and 2 more"
    assert id_list("abcd", limit=4) == "`a`, `b`, `c`, `d`"
    assert plain_list(["use1-az1", "use1-az2", "use1-az1"]) == "use1-az1, use1-az2"
