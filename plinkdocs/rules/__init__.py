"""The rule catalog: an explicit registry, one module per rule (see docs/rules).

Adding a rule: write its module (CONTRIBUTING.md, "Adding a rule") and its fixture file, and
import it here, in id order. A test proves this list equals the modules on disk."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from plinkdocs.rules import (
    pl001_yaml_syntax,
    pl002_duplicate_key,
    pl003_schema,
    pl004_unknown_reference,
    pl005_unsupported_yaml,
    pl006_duplicate_name,
    pl007_subnet_outside_vpc,
    pl008_subnet_overlap,
    pl009_az_not_in_region,
    pl010_unknown_rule,
    pl101_unsupported_load_balancer,
    pl102_alb_target_constraints,
    pl103_too_many_listeners,
    pl104_health_check_blocked,
    pl105_az_without_healthy_targets,
    pl201_endpoint_az_not_offered,
    pl202_single_az_endpoint,
    pl203_az_name_in_cross_account,
    pl204_two_subnets_one_az,
    pl205_aws_service_az_unsupported,
    pl206_tgw_attachment_az_missing,
    pl301_private_dns_disabled,
    pl302_vpc_dns_attributes_off,
    pl303_custom_resolver_not_forwarding,
    pl304_private_dns_name_unverified,
    pl305_private_dns_conflict,
    pl306_private_dns_not_reachable,
    pl307_gwlb_private_dns,
    pl308_dns_name_shadowed,
    pl309_resolver_endpoint_blocked,
    pl310_s3_interface_and_gateway_dns,
    pl311_companion_endpoints_missing,
    pl401_endpoint_sg_blocks_clients,
    pl402_workload_egress_blocked,
    pl403_default_security_group,
    pl404_nlb_sg_blocks_privatelink,
    pl405_targets_unreachable,
    pl406_port_not_listened,
    pl501_endpoint_policy_denies,
    pl502_endpoint_policy_too_broad,
    pl503_endpoint_policy_ignored,
    pl504_endpoint_policy_invalid,
    pl505_gateway_endpoint_principal,
    pl511_principal_not_allowed,
    pl512_connection_not_accepted,
    pl513_service_open_to_all,
    pl514_auto_accept,
    pl601_over_budget,
    pl602_cheaper_alternative,
    pl603_endpoint_quota,
    pl604_bandwidth_limit,
    pl605_unpriced_region,
    pl701_peering_cidr_overlap,
    pl702_cross_region_not_supported,
    pl703_transitive_peering,
    pl704_no_network_path,
    pl705_tgw_cidr_overlap,
    pl706_tgw_not_shared,
    pl707_appliance_mode_off,
    pl708_peering_self,
    pl801_flow_logs_off,
    pl802_waiver_expired,
    pl803_unused_waiver,
    pl901_drift_missing_in_design,
    pl902_drift_missing_in_code,
    pl903_drift_value_differs,
)
from plinkdocs.rules.contract import Check, RuleContext, RuleMeta

__all__ = ["MODULES", "RULE_MODULES", "Rule", "RuleContext", "RuleMeta", "by_name_or_id", "get", "registry"]


class Rule:
    """A rule module seen through its `META` (a `RuleMeta`) and its `check`; `check` is None
    for rules the loader applies."""

    def __init__(self, module: ModuleType):
        meta = getattr(module, "META", None)
        if not isinstance(meta, RuleMeta):
            raise AttributeError(f"rule module {module.__name__} lacks META = RuleMeta(...)")
        self.module = module
        self.meta: RuleMeta = meta
        self.id: str = meta.id
        self.name: str = meta.name
        self.severity: str = meta.severity
        self.summary: str = meta.summary
        self.fix: str = meta.fix
        self.source: str = meta.source
        self.tags: tuple[str, ...] = meta.tags
        self.doc: str = meta.doc
        self.options: dict[str, Any] = dict(meta.options)
        self.check: Check | None = getattr(module, "check", None)

    @property
    def source_is_page(self) -> bool:
        """SOURCE is a page of this documentation (`format.md#top-level`), not an outside address."""
        return not self.source.startswith("https://")

    def source_text(self) -> str:
        return f"docs/{self.source}" if self.source_is_page else self.source

    @property
    def stage(self) -> str:
        return "model" if self.check else "load"

    def __repr__(self) -> str:
        return f"<Rule {self.id} {self.name}>"


RULE_MODULES: tuple[ModuleType, ...] = (
    pl001_yaml_syntax,
    pl002_duplicate_key,
    pl003_schema,
    pl004_unknown_reference,
    pl005_unsupported_yaml,
    pl006_duplicate_name,
    pl007_subnet_outside_vpc,
    pl008_subnet_overlap,
    pl009_az_not_in_region,
    pl010_unknown_rule,
    pl101_unsupported_load_balancer,
    pl102_alb_target_constraints,
    pl103_too_many_listeners,
    pl104_health_check_blocked,
    pl105_az_without_healthy_targets,
    pl201_endpoint_az_not_offered,
    pl202_single_az_endpoint,
    pl203_az_name_in_cross_account,
    pl204_two_subnets_one_az,
    pl205_aws_service_az_unsupported,
    pl206_tgw_attachment_az_missing,
    pl301_private_dns_disabled,
    pl302_vpc_dns_attributes_off,
    pl303_custom_resolver_not_forwarding,
    pl304_private_dns_name_unverified,
    pl305_private_dns_conflict,
    pl306_private_dns_not_reachable,
    pl307_gwlb_private_dns,
    pl308_dns_name_shadowed,
    pl309_resolver_endpoint_blocked,
    pl310_s3_interface_and_gateway_dns,
    pl311_companion_endpoints_missing,
    pl401_endpoint_sg_blocks_clients,
    pl402_workload_egress_blocked,
    pl403_default_security_group,
    pl404_nlb_sg_blocks_privatelink,
    pl405_targets_unreachable,
    pl406_port_not_listened,
    pl501_endpoint_policy_denies,
    pl502_endpoint_policy_too_broad,
    pl503_endpoint_policy_ignored,
    pl504_endpoint_policy_invalid,
    pl505_gateway_endpoint_principal,
    pl511_principal_not_allowed,
    pl512_connection_not_accepted,
    pl513_service_open_to_all,
    pl514_auto_accept,
    pl601_over_budget,
    pl602_cheaper_alternative,
    pl603_endpoint_quota,
    pl604_bandwidth_limit,
    pl605_unpriced_region,
    pl701_peering_cidr_overlap,
    pl702_cross_region_not_supported,
    pl703_transitive_peering,
    pl704_no_network_path,
    pl705_tgw_cidr_overlap,
    pl706_tgw_not_shared,
    pl707_appliance_mode_off,
    pl708_peering_self,
    pl801_flow_logs_off,
    pl802_waiver_expired,
    pl803_unused_waiver,
    pl901_drift_missing_in_design,
    pl902_drift_missing_in_code,
    pl903_drift_value_differs,
)
MODULES = tuple(m.__name__.rpartition(".")[2] for m in RULE_MODULES)  # the module names, for the tests
_REGISTRY: dict[str, Rule] = {rule.id: rule for rule in map(Rule, RULE_MODULES)}


def registry() -> dict[str, Rule]:
    """id -> Rule, in catalog order."""
    return _REGISTRY


def get(rule_id: str) -> Rule:
    return registry()[rule_id]


def by_name_or_id(key: str) -> Rule | None:
    key_u = key.upper()
    for r in registry().values():
        if r.id == key_u or r.name == key.lower():
            return r
    return None
