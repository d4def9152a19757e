"""The cost model: prices as data, a monthly estimate per design, and the alternatives.

Everything here is a pure function of the model and a price book, in `Decimal`, rounded to
the cent once per line item (half up), so that the lines add up to the total exactly.

* Prices live in `plinkdocs/data/prices/<region>.yaml`, one file per region, each figure
  with the date it was read and its source. A user's file (`prices:` in .plinkdocs.yaml, or
  `plinkdocs cost --prices FILE`) replaces single items; it is validated against
  `schemas/prices.schema.json`, and a bad one is a `PriceError` with file, line and column.
* `estimate` prices every endpoint: AZ-hours (the distinct AZs of its subnets, 730 hours a
  month, in every state but `deleted`) and data processing, with the interface tiers applied
  to the month's total of all interface endpoints of a region.
* `alternatives` prices the same traffic over VPC peering, a Transit Gateway, NAT gateways
  and gateway endpoints, each replacing the endpoints it can and keeping the others.
"""

from plinkdocs.analysis.cost.comparison import (
    OPTIONS,
    Alternative,
    LayoutBreakEven,
    alternatives,
    connectivity_endpoints,
    consumer_vpcs_of,
    declared_total,
    is_hub,
    layout_break_even,
    option_costs_at,
    provider_vpc,
    shared_groups,
    spread,
    traffic_mix,
)
from plinkdocs.analysis.cost.estimation import Estimate, LineItem, declared_traffic, estimate
from plinkdocs.analysis.cost.prices import (
    CENT,
    CONNECTIVITY_TYPES,
    DEFAULT_CROSS_AZ_SHARE,
    GATEWAY_SERVICES,
    HOURS_PER_MONTH,
    ITEMS,
    PRICES_DIR,
    Price,
    PriceBook,
    PriceError,
    cents,
    check_prices_file,
    dec,
    exact_of,
    money,
    price_book,
    qty,
    rate,
    read_price_file,
    tiered,
)

__all__ = ["CENT", "CONNECTIVITY_TYPES", "DEFAULT_CROSS_AZ_SHARE", "GATEWAY_SERVICES", "HOURS_PER_MONTH", "ITEMS",
           "OPTIONS", "PRICES_DIR", "Alternative", "LayoutBreakEven", "consumer_vpcs_of", "is_hub",
           "layout_break_even", "shared_groups", "spread", "Estimate", "LineItem", "Price", "PriceBook", "PriceError",
           "alternatives", "cents", "check_prices_file", "connectivity_endpoints", "dec", "exact_of", "declared_total",
           "declared_traffic", "estimate", "money", "option_costs_at", "price_book", "provider_vpc", "qty", "rate",
           "read_price_file", "tiered", "traffic_mix"]
