"""`cents` rounds in a context made once for figures of any sensible size: the same figures,
digit for digit, as rounding in a local context of the precision the figure needs."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

from hypothesis import example, given, settings
from hypothesis import strategies as st

from plinkdocs.analysis.cost.prices import CENT, cents


def reference(value: Decimal, rounding: str) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 6)
        return value.quantize(CENT, rounding=rounding)


@settings(max_examples=500, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e40"), max_value=Decimal("1e40"))
       | st.decimals(allow_nan=False, allow_infinity=False, places=6),
       st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN]))
@example(Decimal("0.005"), ROUND_HALF_UP)
@example(Decimal("-0.005"), ROUND_HALF_EVEN)
@example(Decimal("9.999E+22"), ROUND_HALF_UP)
@example(Decimal("1E+23"), ROUND_HALF_UP)
@example(Decimal("123456789012345678901.235"), ROUND_HALF_UP)
def test_cents_as_in_a_local_context(value, rounding):
    got, want = cents(value, rounding), reference(value, rounding)
    assert got == want and str(got) == str(want)
