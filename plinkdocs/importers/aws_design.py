"""The facts read from live AWS accounts (`aws.py`) told to the shared `DesignBuilder`.

Pure: no boto3, no network. Each part is keyed by its AWS id and named by its `Name` tag;
the builder makes the ids, the references, the notes and the YAML. What only a running
account knows is passed on as such: target health, private DNS verification, each
endpoint's state and connections, and each endpoint's measured traffic (marked with its
CloudWatch window under `traffic.x-measured`).
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import json
from typing import Any

from plinkdocs.importers.design import Design, DesignBuilder, Origin

GIB = 2**30  # AWS bills data processing per GB of 2^30 bytes
_EP_TYPES = ("interface", "gateway", "gatewayloadbalancer", "resource")
_STATES = {"pendingacceptance": "pendingAcceptance", "pending": "pending", "available": "available",
           "rejected": "rejected", "expired": "expired", "failed": "failed", "partial": "partial",
           "deleting": "deleting", "deleted": "deleted"}


def name_tag(record: dict[str, Any]) -> str | None:
    for t in record.get("Tags") or []:
        if t.get("Key") == "Name" and str(t.get("Value", "")).strip():
            return str(t["Value"])
    return None


def policy(doc: Any) -> Any:
    """An endpoint policy as YAML data; None for the AWS default (full access), which a design leaves out."""
    if not doc:
        return None
    p = json.loads(doc) if isinstance(doc, str) else doc
    stmts = p.get("Statement") or []
    stmts = stmts if isinstance(stmts, list) else [stmts]
    if len(stmts) == 1:
        s = stmts[0]
        if (s.get("Effect") == "Allow" and s.get("Principal") in ("*", {"AWS": "*"})
                and s.get("Action") in ("*", ["*"]) and s.get("Resource") in ("*", ["*"]) and not s.get("Condition")):
            return None
    return p


def traffic(e: dict[str, Any], window: tuple[_dt.datetime, _dt.datetime] | None) -> dict[str, Any] | None:
    """`gb_per_month` and `peak_gbps` from an endpoint's measured BytesProcessed, with the window.

    The sum over the window is scaled to 30 days; an endpoint younger than the window (by its
    creation time, or its first data point) is scaled from the days it existed. The peak is
    the busiest five-minute period's average rate."""
    if window is None:
        return None
    t = e.get("Traffic")
    start, end = window
    created = e.get("CreationTimestamp")
    if t is not None and isinstance(t.get("first"), _dt.datetime):
        created = min(created, t["first"]) if isinstance(created, _dt.datetime) else t["first"]
    if isinstance(created, _dt.datetime) and created.tzinfo is not None and created > start:
        start = created
    days = max((end - start).total_seconds() / 86400, 1 / 24)
    measured: dict[str, Any] = {"source": "CloudWatch AWS/PrivateLinkEndpoints BytesProcessed",
                                "from": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if t is None:
        measured["note"] = "no data points in the window"
        return {"gb_per_month": 0, "x-measured": measured}
    measured["period_seconds"] = t["period"]
    return {"gb_per_month": round(t["bytes"] / GIB * 30 / days, 3),
            "peak_gbps": round(t["peak_bytes"] * 8 / t["period"] / 1e9, 6), "x-measured": measured}


def _subnet_of_ip(subnets: list[dict[str, Any]], ip: str) -> dict[str, Any] | None:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return None
    return next((s for s in subnets if s.get("CidrBlock") and addr in ipaddress.ip_network(s["CidrBlock"])), None)


class _Feed:
    def __init__(self, facts: Any):
        self.f = facts
        self.b = DesignBuilder(source="AWS (" + ", ".join(f"{a.id}" for a in facts.accounts) + ")")
        self.accounts: set[str] = set()
        self.vpc_names = {v["VpcId"]: name_tag(v) for p in facts.parts for v in p.vpcs}

    def origin(self, p: Any, aws_id: str) -> Origin:
        return Origin(f"aws:{p.account}:{p.region}", line=0, column=0, address=aws_id)

    def account(self, number: str, label: str | None = None) -> str:
        if number not in self.accounts:
            self.accounts.add(number)
            self.b.account(number, account_id=number, name=label)
        return number

    def run(self, name: str, title: str | None) -> Design:
        for a in self.f.accounts:
            self.account(a.id, a.label)
        for p in self.f.parts:
            self.networks(p)
        for p in self.f.parts:
            self.security_groups(p)
        for p in self.f.parts:
            self.load_balancers(p)
        for p in self.f.parts:
            self.services(p)
        for p in self.f.parts:
            self.endpoints(p)
        for p in self.f.parts:
            self.routes(p)
            self.resolver(p)
        self.zones()
        accounts = ", ".join(a.id for a in self.f.accounts)
        title = title or f"AWS account{'s' if len(self.f.accounts) > 1 else ''} {accounts}"
        return self.b.build(name=name, title=title, region=self.f.regions[0])

    # ---- VPCs and what is inside them ------------------------------------------------------------

    def networks(self, p: Any) -> None:
        b = self.b
        for v in p.vpcs:
            o = self.origin(p, v["VpcId"])
            dns = v.get("Dns", {})
            b.vpc(v["VpcId"], account=self.account(p.account), region=p.region,
                  cidrs=[a["CidrBlock"] for a in v.get("CidrBlockAssociationSet", [])
                         if a.get("CidrBlockState", {}).get("State", "associated") == "associated"] or [v["CidrBlock"]],
                  dns_support=dns.get("EnableDnsSupport"), dns_hostnames=dns.get("EnableDnsHostnames"),
                  name=name_tag(v), origin=o)
            for a in v.get("Ipv6CidrBlockAssociationSet", []):
                if a.get("Ipv6CidrBlockState", {}).get("State", "associated") == "associated":
                    b.vpc_cidr(v["VpcId"], a["Ipv6CidrBlock"])
            if v.get("FlowLogs"):
                b.flow_log(v["VpcId"])
        for s in p.subnets:
            b.subnet(s["SubnetId"], vpc=s["VpcId"], cidr=s.get("CidrBlock"), az_id=s.get("AvailabilityZoneId"),
                     az=None if s.get("AvailabilityZoneId") else s.get("AvailabilityZone"), name=name_tag(s),
                     origin=self.origin(p, s["SubnetId"]))
        seen = set()
        for x in p.peerings:
            pid = x["VpcPeeringConnectionId"]
            if pid in seen or self.b.has("peering", pid):
                continue
            seen.add(pid)
            b.peering(pid, requester=x.get("RequesterVpcInfo", {}).get("VpcId", ""),
                      accepter=x.get("AccepterVpcInfo", {}).get("VpcId", ""),
                      status="active" if x.get("Status", {}).get("Code") == "active" else "proposed",
                      name=name_tag(x), origin=self.origin(p, pid))
        self.transit_gateways(p)

    def security_groups(self, p: Any) -> None:
        vpc_names = {v["VpcId"]: name_tag(v) or v["VpcId"] for v in p.vpcs}
        for g in p.security_groups:
            name = name_tag(g) or g.get("GroupName")
            if g.get("GroupName") == "default" and not name_tag(g):
                name = f"{vpc_names.get(g['VpcId'], g['VpcId'])}-default"
            self.b.security_group(g["GroupId"], vpc=g["VpcId"], description=g.get("Description"),
                                  default_egress=False, name=name, origin=self.origin(p, g["GroupId"]))
        for g in p.security_groups:
            o = self.origin(p, g["GroupId"])
            for direction, key in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
                for perm in g.get(key, []):
                    proto, lo, hi = perm.get("IpProtocol", "-1"), perm.get("FromPort"), perm.get("ToPort")
                    sources = ([{"cidr": r["CidrIp"], "d": r.get("Description")} for r in perm.get("IpRanges", [])]
                               + [{"cidr": r["CidrIpv6"], "d": r.get("Description")}
                                  for r in perm.get("Ipv6Ranges", [])])
                    for src in sources:
                        self.b.sg_rule(g["GroupId"], direction, protocol=proto, from_port=lo, to_port=hi,
                                       cidr=src["cidr"], description=src["d"], origin=o)
                    for r in perm.get("UserIdGroupPairs", []):
                        self.b.sg_rule(g["GroupId"], direction, protocol=proto, from_port=lo, to_port=hi,
                                       source_group=r.get("GroupId"), description=r.get("Description"), origin=o)
                    for r in perm.get("PrefixListIds", []):
                        self.b.note(o, f"a {direction} rule of {g['GroupId']} with prefix list "
                                       f"{r.get('PrefixListId')} is not carried")

    def _target_place(self, p: Any, tg: dict[str, Any], target: dict[str, Any]) -> tuple[str | None, list[str]]:
        """(AZ ID, security groups) of a registered target."""
        if tg.get("TargetType") == "instance":
            inst = p.instances.get(target["Id"], {})
            place = inst.get("Placement", {})
            return (place.get("AvailabilityZoneId") or p.az_ids.get(place.get("AvailabilityZone", "")),
                    [g["GroupId"] for g in inst.get("SecurityGroups", [])])
        if target.get("AvailabilityZone") and target["AvailabilityZone"] != "all":
            return p.az_ids.get(target["AvailabilityZone"]), []
        s = _subnet_of_ip(p.subnets, target["Id"]) if tg.get("TargetType") == "ip" else None
        return (s.get("AvailabilityZoneId") if s else None), []

    def load_balancers(self, p: Any) -> None:
        b = self.b
        for tg in p.target_groups:
            hc = {"protocol": tg.get("HealthCheckProtocol") if tg.get("HealthCheckProtocol") in ("TCP", "HTTP", "HTTPS")
                  else None,
                  "port": int(tg["HealthCheckPort"]) if str(tg.get("HealthCheckPort", "")).isdigit()
                  else "traffic-port",
                  "path": tg.get("HealthCheckPath") if tg.get("HealthCheckProtocol") in ("HTTP", "HTTPS") else None}
            o = self.origin(p, tg["TargetGroupArn"])
            b.target_group(tg["TargetGroupArn"], target_type=tg.get("TargetType", "instance"),
                           protocol=tg.get("Protocol"), port=tg.get("Port"), health_check=hc, vpc=tg.get("VpcId"),
                           name=tg.get("TargetGroupName"), origin=o)
            groups: dict[tuple[Any, ...], list[str]] = {}
            for h in tg.get("Health", []):
                if tg.get("TargetType") == "lambda":
                    continue
                th = h.get("TargetHealth", {})
                state = th.get("State", "healthy")
                if tg.get("TargetType") == "alb":
                    key: tuple[Any, ...] = ("alb", h["Target"]["Id"], state == "healthy")
                else:
                    az, sgs = self._target_place(p, tg, h["Target"])
                    key = ("az", az, state == "healthy", tuple(sgs))
                groups.setdefault(key, []).append(f"{h['Target']['Id']} is {state}"
                                                  + (f" ({th['Reason']})" if th.get("Reason") else ""))
            for key in sorted(groups, key=lambda k: tuple(str(x) for x in k)):
                if not key[2]:
                    b.note(o, f"target group {tg.get('TargetGroupName')}: " + "; ".join(groups[key]))
                if key[0] == "alb":
                    b.target(tg["TargetGroupArn"], load_balancer=key[1], count=len(groups[key]), healthy=key[2],
                             origin=o)
                else:
                    b.target(tg["TargetGroupArn"], az_id=key[1], security_groups=list(key[3]) or None,
                             count=len(groups[key]), healthy=key[2], origin=o)
        for lb in p.load_balancers:
            arn = lb["LoadBalancerArn"]
            o = self.origin(p, arn)
            attrs = lb.get("Attributes", {})
            cross = attrs.get("load_balancing.cross_zone.enabled")
            enforce = lb.get("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
            lb_type = lb.get("Type", "network")
            b.load_balancer(arn, type=lb_type, vpc=lb.get("VpcId"),
                            subnets=sorted(z["SubnetId"] for z in lb.get("AvailabilityZones", []) if z.get("SubnetId")),
                            security_groups=lb.get("SecurityGroups") or None,
                            cross_zone=None if cross is None else cross == "true",
                            enforce_sg_inbound_on_privatelink=None if enforce not in ("on", "off") or not
                            lb.get("SecurityGroups") else enforce == "on",
                            scheme=lb.get("Scheme"), name=lb.get("LoadBalancerName"), origin=o)
            for li in lb.get("Listeners", []):
                actions = li.get("DefaultActions", [])
                arns = [a.get("TargetGroupArn") for a in actions if a.get("Type") == "forward" and
                        a.get("TargetGroupArn")]
                arns += [t.get("TargetGroupArn") for a in actions for t in (a.get("ForwardConfig") or {}).get(
                    "TargetGroups", [])]
                b.listener(arn, port=li.get("Port"), protocol=li.get("Protocol"),
                           target_group=arns[0] if arns else None, origin=self.origin(p, li["ListenerArn"]))

    # ---- PrivateLink -----------------------------------------------------------------------------

    def services(self, p: Any) -> None:
        for s in p.services:
            o = self.origin(p, s["ServiceId"])
            dns_state = (s.get("PrivateDnsNameConfiguration") or {}).get("State")
            regions = sorted(r["Region"] for r in s.get("SupportedRegions", []) if r.get("Region")
                             and r.get("ServiceState", "Available") != "Closed")
            self.b.endpoint_service(
                s["ServiceId"], load_balancers=s.get("NetworkLoadBalancerArns", []) + s.get("GatewayLoadBalancerArns",
                                                                                           []),
                acceptance_required=bool(s.get("AcceptanceRequired")), allowed_principals=s.get("Principals", []),
                private_dns_name=s.get("PrivateDnsName"), supported_regions=regions if regions != [p.region] and
                regions else None, supported_ip_address_types=s.get("SupportedIpAddressTypes"),
                private_dns_verified=(dns_state == "verified") if s.get("PrivateDnsName") else None,
                name=name_tag(s), origin=o)
            if s.get("PrivateDnsName") and dns_state != "verified":
                self.b.note(o, f"private DNS name {s['PrivateDnsName']} of {s['ServiceId']} is "
                               f"{dns_state or 'not verified'}")
            for c in s.get("Connections", []):
                state = _STATES.get(str(c.get("VpcEndpointState", "")).lower(), c.get("VpcEndpointState"))
                self.b.note(o, f"connection from endpoint {c.get('VpcEndpointId')} of account "
                               f"{c.get('VpcEndpointOwner')} is {state}")

    def endpoints(self, p: Any) -> None:
        services = {s["ServiceName"]: s["ServiceId"] for q in self.f.parts for s in q.services}
        for e in p.endpoints:
            etype = str(e.get("VpcEndpointType", "")).lower()
            o = self.origin(p, e["VpcEndpointId"])
            if etype not in _EP_TYPES:
                self.b.note(o, f"{e.get('VpcEndpointType')} endpoint {e['VpcEndpointId']} is not carried")
                continue
            dns = e.get("DnsOptions") or {}
            opts: dict[str, Any] = {}
            if dns.get("DnsRecordIpType") and dns["DnsRecordIpType"] != "ipv4":
                opts["record_ip_type"] = dns["DnsRecordIpType"]
            if etype == "interface" and e.get("ServiceName", "").endswith(".s3") and \
                    dns.get("PrivateDnsOnlyForInboundResolverEndpoint") is not None:
                opts["private_dns_only_for_inbound_resolver_endpoint"] = bool(
                    dns["PrivateDnsOnlyForInboundResolverEndpoint"])
            service = services.get(e.get("ServiceName", ""), e.get("ServiceName"))
            self.b.endpoint(
                e["VpcEndpointId"], vpc=e["VpcId"], service=service, type=etype,
                subnets=sorted(e.get("SubnetIds", [])) if etype != "gateway" else None,
                security_groups=[g["GroupId"] for g in e.get("Groups", [])] or None,
                private_dns=bool(e.get("PrivateDnsEnabled")) if etype == "interface" else None,
                policy=policy(e.get("PolicyDocument")),
                state=_STATES.get(str(e.get("State", "available")).lower(), "available"),
                ip_address_type=e.get("IpAddressType"), dns_options=opts or None,
                service_region=e.get("ServiceRegion") if e.get("ServiceRegion") not in (None, p.region) else None,
                traffic=traffic(e, self.f.window), name=name_tag(e), origin=o)

    # ---- the network around PrivateLink ------------------------------------------------------------

    def transit_gateways(self, p: Any) -> None:
        b = self.b
        for t in p.transit_gateways:
            if b.has("tgw", t["TransitGatewayId"]):
                continue
            b.transit_gateway(t["TransitGatewayId"], account=self.account(t["OwnerId"]),
                              region=p.region if p.region != self.f.regions[0] else None,
                              name=name_tag(t), origin=self.origin(p, t["TransitGatewayId"]))
        for a in p.tgw_attachments:
            aid, o = a["TransitGatewayAttachmentId"], self.origin(p, a["TransitGatewayAttachmentId"])
            if b.has("tgwatt", aid):
                continue
            if a.get("ResourceType") == "vpc":
                v = a.get("Vpc", {})
                b.tgw_attachment(aid, tgw=a["TransitGatewayId"], vpc=a.get("ResourceId"),
                                 subnets=sorted(v.get("SubnetIds", [])),
                                 appliance_mode=(v.get("Options") or {}).get("ApplianceModeSupport") == "enable"
                                 or None, name=name_tag(a) or self.vpc_names.get(a.get("ResourceId", "")) or a.get("ResourceId"),
                                 origin=o)
                owner, tgw_owner = a.get("ResourceOwnerId"), a.get("TransitGatewayOwnerId")
                if owner and tgw_owner and owner != tgw_owner and a.get("State") == "available":
                    b.tgw_share(a["TransitGatewayId"], self.account(owner))  # an available attachment proves the share
            elif a.get("ResourceType") == "peering":
                b.tgw_attachment(aid, tgw=a["TransitGatewayId"], peer_tgw=a.get("ResourceId"), name=name_tag(a),
                                 origin=o)
            else:
                b.note(o, f"{a.get('ResourceType')} attachment {aid} ({a.get('ResourceId')}): on-premises networks "
                          "are not read from the account")
        for rt in p.tgw_route_tables:
            rid = rt["TransitGatewayRouteTableId"]
            b.tgw_route_table(rid, tgw=rt["TransitGatewayId"], name=name_tag(rt), origin=self.origin(p, rid))
            for kind in ("Associations", "Propagations"):
                for x in rt.get(kind, []):
                    if x.get("TransitGatewayAttachmentId") and b.has("tgwatt", x["TransitGatewayAttachmentId"]):
                        b.tgw_association(rid, x["TransitGatewayAttachmentId"], kind.lower())
            for r in rt.get("Routes", []):
                if r.get("Type") != "static" or not r.get("DestinationCidrBlock"):
                    continue
                att = next((x.get("TransitGatewayAttachmentId") for x in r.get("TransitGatewayAttachments", [])), None)
                b.tgw_route(rid, destination=r["DestinationCidrBlock"], attachment=att,
                            blackhole=r.get("State") == "blackhole", origin=self.origin(p, rid))

    def routes(self, p: Any) -> None:
        b = self.b
        endpoints = {e["VpcEndpointId"]: e for e in p.endpoints}
        for t in p.route_tables:
            tid, o = t["RouteTableId"], self.origin(p, t["RouteTableId"])
            b.route_table(tid, vpc=t["VpcId"], main=any(a.get("Main") for a in t.get("Associations", [])),
                          name=name_tag(t), origin=o)
            for a in t.get("Associations", []):
                if a.get("SubnetId"):
                    b.route_table_subnet(tid, a["SubnetId"])
            for r in t.get("Routes", []):
                gw = str(r.get("GatewayId") or "")
                if gw == "local":
                    continue
                dest = r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock")
                if dest is None and r.get("DestinationPrefixListId") and gw in endpoints:
                    name = endpoints[gw].get("ServiceName", "")
                    dest = next((f"aws:{s}" for s in ("s3", "dynamodb") if name.endswith(f".{s}")), None)
                if dest is None:
                    b.note(o, f"route to {r.get('DestinationPrefixListId') or '?'} is not carried")
                    continue
                if r.get("TransitGatewayId"):
                    b.route(tid, destination=dest, target="transit_gateway", ref=r["TransitGatewayId"], origin=o)
                elif r.get("VpcPeeringConnectionId"):
                    b.route(tid, destination=dest, target="peering", ref=r["VpcPeeringConnectionId"], origin=o)
                elif gw.startswith("vpce-") or r.get("VpcEndpointId"):
                    b.route(tid, destination=dest, target="endpoint", ref=gw or r.get("VpcEndpointId"), origin=o)
                elif gw.startswith("igw-"):
                    b.route(tid, destination=dest, target="internet_gateway", origin=o)
                elif gw.startswith("vgw-"):
                    b.route(tid, destination=dest, target="vpn_gateway", origin=o)
                elif r.get("NatGatewayId"):
                    b.route(tid, destination=dest, target="nat", origin=o)
                else:
                    target = r.get("NetworkInterfaceId") or r.get("InstanceId") or gw or "?"
                    b.note(o, f"route to {dest} through {target} is not carried")

    def resolver(self, p: Any) -> None:
        for e in p.resolver_endpoints:
            self.b.resolver_endpoint(e["Id"], vpc=e.get("HostVPCId"), direction=str(e.get("Direction", "")),
                                     subnets=[ip["SubnetId"] for ip in e.get("IpAddresses", []) if ip.get("SubnetId")],
                                     security_groups=e.get("SecurityGroupIds", []), name=e.get("Name") or None,
                                     origin=self.origin(p, e["Id"]))
        for r in p.resolver_rules:
            o = self.origin(p, r["Id"])
            self.b.resolver_rule(r["Id"], domain=str(r.get("DomainName", "")),
                                 type="forward" if r.get("RuleType") == "FORWARD" else "system",
                                 outbound_endpoint=r.get("ResolverEndpointId"),
                                 targets=[t["Ip"] for t in r.get("TargetIps", []) if t.get("Ip")],
                                 name=r.get("Name") or None, origin=o)
            for v in r.get("VpcIds", []):
                self.b.resolver_rule_vpc(r["Id"], v, origin=o)

    def zones(self) -> None:
        dns_names = {d["DnsName"].rstrip(".").lower(): e["VpcEndpointId"] for p in self.f.parts for e in p.endpoints
                     for d in e.get("DnsEntries", []) if d.get("DnsName")}
        for number in sorted(self.f.hosted_zones):
            for z in self.f.hosted_zones[number]:
                zid = z["Id"].rsplit("/", 1)[-1]
                o = Origin(f"aws:{number}:route53", line=0, column=0, address=zid)
                self.b.hosted_zone(zid, name=z["Name"], account=self.account(number),
                                   vpcs=[v["VPCId"] for v in z.get("VPCs", []) if self.b.has("vpc", v.get("VPCId", ""))],
                                   origin=o)
                for v in z.get("VPCs", []):
                    if not self.b.has("vpc", v.get("VPCId", "")):
                        self.b.note(o, f"zone {z['Name']} is also associated with {v.get('VPCId')}, outside the import")
                for r in z.get("Records", []):
                    self.record(zid, r, dns_names, o)

    def record(self, zone: str, r: dict[str, Any], dns_names: dict[str, str], o: Origin) -> None:
        name, rtype = r["Name"].rstrip(".").replace("\\052", "*"), r.get("Type")
        if rtype in ("SOA", "NS"):
            return
        if r.get("AliasTarget"):
            target = r["AliasTarget"].get("DNSName", "").rstrip(".").lower()
            # an alias to an endpoint names its regional DNS name, sometimes with a "dualstack." prefix
            ep = dns_names.get(target) or dns_names.get(target.removeprefix("dualstack."))
            self.b.record(zone, name=name, type="alias", endpoint=ep, values=None if ep else [target], origin=o)
            return
        values = [x["Value"].rstrip(".") for x in r.get("ResourceRecords", [])]
        if rtype == "CNAME":
            ep = next((dns_names[v.lower()] for v in values if v.lower() in dns_names), None)
            self.b.record(zone, name=name, type="cname", endpoint=ep, values=None if ep else values, origin=o)
        elif rtype == "A":
            self.b.record(zone, name=name, type="a", values=values, origin=o)
        else:
            self.b.note(o, f"{rtype} record {name} is not carried")


def to_design(facts: Any, name: str = "aws-import", title: str | None = None) -> Design:
    """A design from the facts of `aws.read` (see `design.Design`: data, origins, notes)."""
    return _Feed(facts).run(name, title)
