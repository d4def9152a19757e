"""How an endpoint's DNS is used, beyond private DNS on or off: S3's interface-plus-gateway
pattern and callers that use endpoint-specific names (PL301, PL310)."""

from __future__ import annotations

from typing import Optional

from plinkdocs.analysis import net
from plinkdocs.model.architecture import Architecture, Endpoint


def is_s3_interface(ep: Endpoint) -> bool:
    return ep.type == "interface" and ep.service_kind == "aws" and ep.service_name == "s3"


def s3_gateway_in(model: Architecture, vpc_id: str) -> Optional[Endpoint]:
    """The VPC's S3 gateway endpoint, if it has one."""
    for ep in model.endpoints.values():
        if ep.vpc == vpc_id and ep.type == "gateway" and ep.service_kind == "aws" and ep.service_name == "s3":
            return ep
    return None


def inbound_resolver_only(model: Architecture, ep: Endpoint) -> bool:
    """`private_dns_only_for_inbound_resolver_endpoint` as AWS applies it: as written, else true
    when the VPC has an S3 gateway endpoint (AWS's default then) and false otherwise."""
    if ep.private_dns_only_for_inbound_resolver_endpoint is not None:
        return ep.private_dns_only_for_inbound_resolver_endpoint
    return is_s3_interface(ep) and s3_gateway_in(model, ep.vpc) is not None


def called_by_default_name(model: Architecture, ep: Endpoint) -> Optional[bool]:
    """Whether some workload calls the endpoint by a name other than an endpoint-specific
    `*.vpce.amazonaws.com` one (a call without `hostname` uses the service's default name).
    None when nobody calls it in the design."""
    calls = model.calls_to(ep.id)
    if not calls:
        return None
    return any(not (c.hostname and net.endpoint_specific_name(c.hostname)) for _, c in calls)
