"""The facts read from a live AWS account (`aws.py`) turned into the data of a design.

Pure: no boto3, no network. Ids come from `Name` tags (made into slugs), else from the AWS
ids; what the format cannot say is kept as `x-` notes beside the part it concerns, never
dropped silently. Each endpoint's traffic, when measured, is marked with its window.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import json
import re
from typing import Any

GIB = 2**30  # AWS bills data processing per GB of 2^30 bytes
_EP_TYPE = {"interface": "interface", "gateway": "gateway", "gatewayloadbalancer": "gatewayloadbalancer",
            "resource": "resource"}
_LB_TYPE = {"network": "network", "gateway": "gateway", "application": "application"}
_PROTO = {"-1": "all", "6": "tcp", "17": "udp", "1": "icmp", "tcp": "tcp", "udp": "udp", "icmp": "icmp"}
_HC = {"TCP", "HTTP", "HTTPS"}
_LISTENER = {"TCP", "TLS", "UDP", "TCP_UDP", "HTTP", "HTTPS", "GENEVE"}
_ENDPOINT_STATES = {"pendingacceptance": "pendingAcceptance", "pending": "pending", "available": "available",
                    "rejected": "rejected", "expired": "expired", "failed": "failed", "partial": "partial",
                    "deleting": "deleting", "deleted": "deleted"}


def slug(text: str) -> str:
    """A design id from a name: lower case, runs of other characters made one hyphen."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:63].rstrip("-")


def name_tag(record: dict[str, Any]) -> str | None:
    for t in record.get("Tags") or []:
        if t.get("Key") == "Name" and str(t.get("Value", "")).strip():
            return str(t["Value"])
    return None


class Ids:
    """AWS id -> design id, unique in each section: the Name tag's slug, else the AWS id."""

    def __init__(self) -> None:
        self._by_aws: dict[tuple[str, str], str] = {}
        self._used: dict[str, set[str]] = {}

    def take(self, section: str, aws_id: str, name: str | None = None) -> str:
        key = (section, aws_id)
        if key in self._by_aws:
            return self._by_aws[key]
        used = self._used.setdefault(section, set())
        base = slug(name) if name and slug(name) else slug(aws_id)
        cand = base if base not in used else f"{base}-{slug(aws_id)}"
        n = 2
        while cand in used:
            cand, n = f"{base}-{n}", n + 1
        used.add(cand)
        self._by_aws[key] = cand
        return cand

    def get(self, section: str, aws_id: str | None) -> str | None:
        return self._by_aws.get((section, aws_id)) if aws_id else None


def _note(part: dict[str, Any], text: str) -> None:
    part.setdefault("x-not-imported", []).append(text)


def _port(value: Any) -> int | str:
    return int(value) if str(value).isdigit() else "traffic-port"


def _policy(doc: Any) -> Any:
    """The policy as YAML data; None for the AWS default (full access), which the format leaves out."""
    if not doc:
        return None
    p = json.loads(doc) if isinstance(doc, str) else doc
    stmts = p.get("Statement") or []
    stmts = stmts if isinstance(stmts, list) else [stmts]
    if len(stmts) == 1:
        s = stmts[0]
        if (s.get("Effect") == "Allow" and s.get("Principal") in ("*", {"AWS": "*"}) and s.get("Action") in ("*", ["*"])
                and s.get("Resource") in ("*", ["*"]) and not s.get("Condition")):
            return None
    return p


class _Builder:
    def __init__(self, facts: Any):
        self.f = facts
        self.ids = Ids()
        self.d: dict[str, Any] = {}
        self.accounts: dict[str, str] = {}  # account number -> design id
        self.region = facts.regions[0]

    # --- accounts, VPCs, subnets, security groups --------------------------------------------

    def account(self, number: str, label: str | None = None) -> str:
        if number not in self.accounts:
            key = self.ids.take("accounts", number, f"account-{number}")
            self.accounts[number] = key
            entry: dict[str, Any] = {"id": number}
            if label:
                entry["name"] = label
            self.d.setdefault("accounts", {})[key] = entry
        return self.accounts[number]

    def vpcs(self) -> None:
        vpcs = self.d.setdefault("vpcs", {})
        for p in self.f.parts:
            for v in p.vpcs:
                vid = self.ids.take("vpcs", v["VpcId"], name_tag(v))
                cidrs = [a["CidrBlock"] for a in v.get("CidrBlockAssociationSet", [])
                         if a.get("CidrBlockState", {}).get("State", "associated") == "associated"] or [v["CidrBlock"]]
                cidrs += [a["Ipv6CidrBlock"] for a in v.get("Ipv6CidrBlockAssociationSet", [])
                          if a.get("Ipv6CidrBlockState", {}).get("State", "associated") == "associated"]
                entry: dict[str, Any] = {"account": self.account(p.account), "x-aws-id": v["VpcId"]}
                if p.region != self.region:
                    entry["region"] = p.region
                entry["cidrs"] = cidrs
                dns = v.get("Dns", {})
                if dns.get("EnableDnsSupport") is False or dns.get("EnableDnsHostnames") is False:
                    entry["dns"] = {"support": dns.get("EnableDnsSupport") is not False,
                                    "hostnames": dns.get("EnableDnsHostnames") is not False}
                entry["flow_logs"] = bool(v.get("FlowLogs"))
                entry["subnets"] = {}
                vpcs[vid] = entry
            for s in p.subnets:
                vid = self.ids.get("vpcs", s["VpcId"])
                if vid is None:
                    continue
                sid = self.ids.take("subnets", s["SubnetId"], name_tag(s))
                sub: dict[str, Any] = {}
                if s.get("AvailabilityZoneId"):
                    sub["az_id"] = s["AvailabilityZoneId"]
                else:
                    sub["az"] = s["AvailabilityZone"]
                sub["cidr"] = s["CidrBlock"]
                sub["x-aws-id"] = s["SubnetId"]
                vpcs[vid]["subnets"][sid] = sub

    def security_groups(self) -> None:
        groups = [(p, g) for p in self.f.parts for g in p.security_groups]
        for p, g in groups:  # ids first: rules refer to each other
            vid = self.ids.get("vpcs", g["VpcId"])
            name = name_tag(g) or g.get("GroupName")
            if name == "default":
                name = f"{vid}-default"
            self.ids.take("security_groups", g["GroupId"], name)
        out = self.d.setdefault("security_groups", {})
        for p, g in groups:
            gid = self.ids.get("security_groups", g["GroupId"])
            entry: dict[str, Any] = {"vpc": self.ids.get("vpcs", g["VpcId"]), "x-aws-id": g["GroupId"]}
            for key, aws_key in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
                entry[key] = [r for perm in g.get(aws_key, []) for r in self._rules(perm, entry)]
            out[gid] = entry

    def _rules(self, perm: dict[str, Any], entry: dict[str, Any]) -> list[dict[str, Any]]:
        proto = _PROTO.get(str(perm.get("IpProtocol", "-1")).lower())
        if proto is None:
            _note(entry, f"rule for IP protocol {perm.get('IpProtocol')} (the format has tcp, udp, icmp and all)")
            return []
        base: dict[str, Any] = {"protocol": proto}
        lo, hi = perm.get("FromPort"), perm.get("ToPort")
        if proto in ("tcp", "udp") and lo is not None and lo != -1 and not (lo == 0 and hi == 65535):
            base["ports"] = lo if lo == hi else f"{lo}-{hi}"
        out = []
        for r in perm.get("IpRanges", []):
            out.append({**base, "cidr": r["CidrIp"]})
        for r in perm.get("Ipv6Ranges", []):
            out.append({**base, "cidr": r["CidrIpv6"]})
        for r in perm.get("UserIdGroupPairs", []):
            ref = self.ids.get("security_groups", r.get("GroupId"))
            if ref:
                out.append({**base, "security_group": ref})
            else:
                _note(entry, f"rule referring to security group {r.get('GroupId')} of account "
                             f"{r.get('UserId', '?')}, outside the imported VPCs")
        for r in perm.get("PrefixListIds", []):
            _note(entry, f"rule referring to prefix list {r.get('PrefixListId')}")
        return out

    # --- load balancers ------------------------------------------------------------------------

    def _subnet_of_ip(self, p: Any, ip: str) -> dict[str, Any] | None:
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return None
        for s in p.subnets:
            if addr in ipaddress.ip_network(s["CidrBlock"]):
                return s
        return None

    def _target_zone(self, p: Any, tg: dict[str, Any], t: dict[str, Any]) -> tuple[str | None, list[str]]:
        """(AZ ID, security groups) of a registered target."""
        target = t["Target"]
        if tg.get("TargetType") == "instance":
            inst = p.instances.get(target["Id"], {})
            az = inst.get("Placement", {}).get("AvailabilityZoneId") or p.az_ids.get(
                inst.get("Placement", {}).get("AvailabilityZone", ""))
            sgs = [x for x in (self.ids.get("security_groups", g["GroupId"]) for g in inst.get("SecurityGroups", []))
                   if x]
            return az, sgs
        if target.get("AvailabilityZone") and target["AvailabilityZone"] != "all":
            return p.az_ids.get(target["AvailabilityZone"]), []
        s = self._subnet_of_ip(p, target["Id"]) if tg.get("TargetType") == "ip" else None
        return (s.get("AvailabilityZoneId") if s else None), []

    def load_balancers(self) -> None:
        out = self.d.setdefault("load_balancers", {})
        for p in self.f.parts:
            for lb in p.load_balancers:
                self.ids.take("load_balancers", lb["LoadBalancerArn"], lb.get("LoadBalancerName"))
        for p in self.f.parts:
            for lb in p.load_balancers:
                lid = self.ids.get("load_balancers", lb["LoadBalancerArn"])
                entry: dict[str, Any] = {"type": _LB_TYPE.get(lb.get("Type", ""), "network"),
                                         "vpc": self.ids.get("vpcs", lb["VpcId"]),
                                         "x-aws-id": lb["LoadBalancerArn"]}
                entry["subnets"] = sorted(x for x in (self.ids.get("subnets", z.get("SubnetId"))
                                                      for z in lb.get("AvailabilityZones", [])) if x)
                attrs = lb.get("Attributes", {})
                cross = attrs.get("load_balancing.cross_zone.enabled")
                if cross is not None:
                    entry["cross_zone"] = cross == "true"
                sgs = [x for x in (self.ids.get("security_groups", g) for g in lb.get("SecurityGroups", [])) if x]
                if sgs:
                    entry["security_groups"] = sgs
                enforce = lb.get("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
                if enforce in ("on", "off") and entry["type"] == "network" and sgs:
                    entry["enforce_sg_inbound_on_privatelink"] = enforce == "on"
                tgs = [tg for tg in p.target_groups if lb["LoadBalancerArn"] in tg.get("LoadBalancerArns", [])]
                tg_ids = Ids()
                for tg in tgs:
                    tg_ids.take("tg", tg["TargetGroupArn"], tg.get("TargetGroupName"))
                listeners = []
                for li in lb.get("Listeners", []):
                    item: dict[str, Any] = {}
                    if li.get("Port") is not None:
                        item["port"] = li["Port"]
                    if li.get("Protocol") in _LISTENER:
                        item["protocol"] = li["Protocol"]
                    arns = [a.get("TargetGroupArn") for a in li.get("DefaultActions", []) if a.get("Type") == "forward"]
                    arns += [t.get("TargetGroupArn") for a in li.get("DefaultActions", [])
                             for t in (a.get("ForwardConfig") or {}).get("TargetGroups", [])]
                    tg_id = next((tg_ids.get("tg", a) for a in arns if tg_ids.get("tg", a)), None)
                    if tg_id:
                        item["target_group"] = tg_id
                    if entry["type"] == "gateway" or ("port" in item and "protocol" in item):
                        listeners.append(item)
                    else:
                        _note(entry, f"listener {li.get('ListenerArn')} without a port or protocol")
                entry["listeners"] = listeners
                entry["target_groups"] = {tg_ids.get("tg", tg["TargetGroupArn"]): self._target_group(p, tg)
                                          for tg in tgs}
                out[lid] = entry

    def _target_group(self, p: Any, tg: dict[str, Any]) -> dict[str, Any]:
        entry: dict[str, Any] = {"target_type": tg.get("TargetType", "instance")}
        if tg.get("Protocol"):
            entry["protocol"] = tg["Protocol"]
        if tg.get("Port"):
            entry["port"] = tg["Port"]
        hc: dict[str, Any] = {}
        if tg.get("HealthCheckProtocol") in _HC:
            hc["protocol"] = tg["HealthCheckProtocol"]
        if tg.get("HealthCheckPort"):
            hc["port"] = _port(tg["HealthCheckPort"])
        if tg.get("HealthCheckPath") and hc.get("protocol") in ("HTTP", "HTTPS"):
            hc["path"] = tg["HealthCheckPath"]
        if hc:
            entry["health_check"] = hc
        groups: dict[tuple[Any, ...], int] = {}
        states: dict[tuple[Any, ...], list[str]] = {}
        for t in tg.get("Health", []):
            if tg.get("TargetType") == "lambda":
                continue
            state = t.get("TargetHealth", {}).get("State", "healthy")
            if tg.get("TargetType") == "alb":
                ref = self.ids.get("load_balancers", t["Target"]["Id"])
                key: tuple[Any, ...] = ("lb", ref, state == "healthy")
            else:
                az, sgs = self._target_zone(p, tg, t)
                key = ("az", az, state == "healthy", tuple(sgs))
            groups[key] = groups.get(key, 0) + 1
            states.setdefault(key, []).append(f"{t['Target']['Id']}: {state}"
                                              + (f" ({t['TargetHealth']['Reason']})"
                                                 if t.get("TargetHealth", {}).get("Reason") else ""))
        targets = []
        for key in sorted(groups, key=lambda k: tuple(str(x) for x in k)):
            item: dict[str, Any] = {}
            if key[0] == "lb":
                if key[1] is None:
                    continue
                item["load_balancer"] = key[1]
            elif key[1]:
                item["az_id"] = key[1]
            item["count"] = groups[key]
            if not key[2]:
                item["healthy"] = False
                item["x-health"] = states[key]
            if key[0] == "az" and key[3]:
                item["security_groups"] = list(key[3])
            targets.append(item)
        entry["targets"] = targets
        return entry

    # --- PrivateLink -----------------------------------------------------------------------

    def endpoint_services(self) -> None:
        out = self.d.setdefault("endpoint_services", {})
        self.service_names: dict[str, str] = {}
        for p in self.f.parts:
            for s in p.services:
                sid = self.ids.take("endpoint_services", s["ServiceId"], name_tag(s))
                self.service_names[s["ServiceName"]] = sid
                entry: dict[str, Any] = {"x-aws-id": s["ServiceId"], "x-service-name": s["ServiceName"]}
                arns = s.get("NetworkLoadBalancerArns", []) + s.get("GatewayLoadBalancerArns", [])
                entry["load_balancers"] = [x for x in (self.ids.get("load_balancers", a) for a in arns) if x]
                entry["acceptance_required"] = bool(s.get("AcceptanceRequired"))
                entry["allowed_principals"] = list(s.get("Principals", []))
                if s.get("PrivateDnsName"):
                    entry["private_dns_name"] = s["PrivateDnsName"]
                    state = (s.get("PrivateDnsNameConfiguration") or {}).get("State")
                    entry["private_dns_verified"] = state == "verified"
                    if state and state != "verified":
                        entry["x-private-dns-state"] = state
                regions = sorted(r["Region"] for r in s.get("SupportedRegions", []) if r.get("Region")
                                 and r.get("ServiceState", "Available") != "Closed")
                if regions and regions != [p.region]:
                    entry["supported_regions"] = regions
                conns = [{"endpoint": c.get("VpcEndpointId"), "account": c.get("VpcEndpointOwner"),
                          "state": _ENDPOINT_STATES.get(str(c.get("VpcEndpointState", "")).lower(),
                                                        c.get("VpcEndpointState"))}
                         for c in s.get("Connections", [])]
                if conns:
                    entry["x-connections"] = conns
                out[sid] = entry

    def _service(self, p: Any, e: dict[str, Any]) -> str:
        name = e.get("ServiceName", "")
        if name in self.service_names:
            return self.service_names[name]
        region = e.get("ServiceRegion") or p.region
        for prefix in (f"com.amazonaws.{region}.", f"aws.sagemaker.{region}.", f"aws.api.{region}."):
            if name.startswith(prefix):
                return "aws:" + name[len(prefix):]
        return "external:" + name

    def endpoints(self) -> None:
        out = self.d.setdefault("endpoints", {})
        for p in self.f.parts:
            for e in p.endpoints:
                etype = _EP_TYPE.get(str(e.get("VpcEndpointType", "")).lower())
                if etype is None:
                    continue  # service-network and other kinds: not PrivateLink endpoints of the format
                eid = self.ids.take("endpoints", e["VpcEndpointId"], name_tag(e))
                entry: dict[str, Any] = {"vpc": self.ids.get("vpcs", e["VpcId"]), "x-aws-id": e["VpcEndpointId"]}
                if etype != "interface":
                    entry["type"] = etype
                entry["service"] = self._service(p, e)
                if e.get("ServiceRegion") and e["ServiceRegion"] != p.region:
                    entry["service_region"] = e["ServiceRegion"]
                if etype != "gateway":
                    entry["subnets"] = sorted(x for x in (self.ids.get("subnets", s) for s in e.get("SubnetIds", [])) if x)
                sgs = [x for x in (self.ids.get("security_groups", g.get("GroupId")) for g in e.get("Groups", []))
                       if x]
                if sgs:
                    entry["security_groups"] = sgs
                if etype == "interface":
                    entry["private_dns"] = bool(e.get("PrivateDnsEnabled"))
                policy = _policy(e.get("PolicyDocument"))
                if policy is not None:
                    entry["policy"] = policy
                entry["state"] = _ENDPOINT_STATES.get(str(e.get("State", "available")).lower(), "available")
                if e.get("IpAddressType") in ("dualstack", "ipv6"):
                    entry["ip_address_type"] = e["IpAddressType"]
                dns = e.get("DnsOptions") or {}
                opts: dict[str, Any] = {}
                if dns.get("DnsRecordIpType") and dns["DnsRecordIpType"] != "ipv4":
                    opts["record_ip_type"] = dns["DnsRecordIpType"]
                if dns.get("PrivateDnsOnlyForInboundResolverEndpoint") is not None and entry["service"] == "aws:s3" \
                        and etype == "interface":
                    opts["private_dns_only_for_inbound_resolver_endpoint"] = bool(
                        dns["PrivateDnsOnlyForInboundResolverEndpoint"])
                if opts:
                    entry["dns_options"] = opts
                traffic = self._traffic(e)
                if traffic:
                    entry["traffic"] = traffic
                out[eid] = entry

    def _traffic(self, e: dict[str, Any]) -> dict[str, Any] | None:
        t, window = e.get("Traffic"), self.f.window
        if window is None:
            return None
        start, end = window
        created = e.get("CreationTimestamp")
        if t is not None and isinstance(t.get("first"), _dt.datetime):
            created = min(created, t["first"]) if isinstance(created, _dt.datetime) else t["first"]
        if isinstance(created, _dt.datetime) and created.tzinfo is not None and created > start:
            start = created  # a young endpoint: what it carried since, scaled to a month
        days = max((end - start).total_seconds() / 86400, 1 / 24)
        measured = {"source": "CloudWatch AWS/PrivateLinkEndpoints BytesProcessed",
                    "from": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if t is None:
            measured["note"] = "no data points in the window"
            return {"gb_per_month": 0, "x-measured": measured}
        gb = t["bytes"] / GIB * 30 / days
        peak = t["peak_bytes"] * 8 / t["period"] / 1e9
        measured["period_seconds"] = t["period"]
        return {"gb_per_month": round(gb, 3), "peak_gbps": round(peak, 6), "x-measured": measured}

    # --- networks around PrivateLink ------------------------------------------------------------

    def peerings(self) -> None:
        out: list[dict[str, Any]] = []
        seen = set()
        for p in self.f.parts:
            for x in p.peerings:
                pid = x["VpcPeeringConnectionId"]
                if pid in seen:
                    continue
                seen.add(pid)
                req = self.ids.get("vpcs", x.get("RequesterVpcInfo", {}).get("VpcId"))
                acc = self.ids.get("vpcs", x.get("AccepterVpcInfo", {}).get("VpcId"))
                if req and acc:
                    out.append({"id": self.ids.take("peerings", pid, name_tag(x)), "requester": req, "accepter": acc,
                                "status": "active" if x.get("Status", {}).get("Code") == "active" else "proposed",
                                "x-aws-id": pid})
                else:
                    vpc = self.ids.get("vpcs", x.get("RequesterVpcInfo", {}).get("VpcId")) or acc
                    if vpc:
                        _note(self.d["vpcs"][vpc], f"peering {pid} with a VPC outside the import")
        if out:
            self.d["peerings"] = out

    def route_tables(self) -> None:
        for p in self.f.parts:
            for t in p.route_tables:
                vid = self.ids.get("vpcs", t["VpcId"])
                if vid is None:
                    continue
                vpc = self.d["vpcs"][vid]
                tid = self.ids.take("route_tables", t["RouteTableId"], name_tag(t))
                entry: dict[str, Any] = {}
                if any(a.get("Main") for a in t.get("Associations", [])):
                    entry["main"] = True
                entry["subnets"] = [x for x in (self.ids.get("subnets", a.get("SubnetId"))
                                                for a in t.get("Associations", [])) if x]
                routes = []
                for r in t.get("Routes", []):
                    route = self._route(p, r, vpc)
                    if route:
                        routes.append(route)
                entry["routes"] = routes
                entry["x-aws-id"] = t["RouteTableId"]
                vpc.setdefault("route_tables", {})[tid] = entry

    def _route(self, p: Any, r: dict[str, Any], vpc: dict[str, Any]) -> dict[str, Any] | None:
        if r.get("GatewayId") == "local" or r.get("State") == "blackhole" and not r.get("TransitGatewayId"):
            return None
        dest = r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock")
        gw = str(r.get("GatewayId") or "")
        if dest is None and r.get("DestinationPrefixListId"):
            ep = next((e for e in p.endpoints if gw and e["VpcEndpointId"] == gw), None)
            svc = self._service(p, ep) if ep else ""
            if svc in ("aws:s3", "aws:dynamodb"):
                dest = svc
        if dest is None:
            _note(vpc, f"route to {r.get('DestinationPrefixListId') or '?'} (a prefix list)")
            return None
        route: dict[str, Any] = {"destination": dest}
        if r.get("TransitGatewayId"):
            ref = self.ids.get("transit_gateways", r["TransitGatewayId"])
            if not ref:
                _note(vpc, f"route {dest} to Transit Gateway {r['TransitGatewayId']}, outside the import")
                return None
            route["transit_gateway"] = ref
        elif r.get("VpcPeeringConnectionId"):
            ref = self.ids.get("peerings", r["VpcPeeringConnectionId"])
            if not ref:
                _note(vpc, f"route {dest} to peering {r['VpcPeeringConnectionId']}, outside the import")
                return None
            route["peering"] = ref
        elif gw.startswith("vpce-") or r.get("VpcEndpointId"):
            ref = self.ids.get("endpoints", gw or r.get("VpcEndpointId"))
            if not ref:
                _note(vpc, f"route {dest} to endpoint {gw or r.get('VpcEndpointId')}, outside the import")
                return None
            route["endpoint"] = ref
        elif gw.startswith("igw-"):
            route["internet_gateway"] = True
        elif gw.startswith("vgw-"):
            route["vpn_gateway"] = True
        elif r.get("NatGatewayId"):
            route["nat"] = True
        else:
            target = r.get("NetworkInterfaceId") or r.get("InstanceId") or gw or r.get("CarrierGatewayId") or "?"
            _note(vpc, f"route {dest} to {target}")
            return None
        return route

    def transit_gateways(self) -> None:
        tgws: dict[str, dict[str, Any]] = {}
        for p in self.f.parts:
            for t in p.transit_gateways:
                tgws.setdefault(t["TransitGatewayId"], {"record": t, "region": p.region})
        if not tgws:
            return
        out = self.d.setdefault("transit_gateways", {})
        atts: dict[str, dict[str, Any]] = {}
        tables: dict[str, dict[str, Any]] = {}
        for p in self.f.parts:
            for a in p.tgw_attachments:
                atts.setdefault(a["TransitGatewayAttachmentId"], a)
            for t in p.tgw_route_tables:
                tables.setdefault(t["TransitGatewayRouteTableId"], t)
        for tid_aws in sorted(tgws):
            t, region = tgws[tid_aws]["record"], tgws[tid_aws]["region"]
            tid = self.ids.take("transit_gateways", tid_aws, name_tag(t))
            entry: dict[str, Any] = {"account": self.account(t["OwnerId"]), "x-aws-id": tid_aws}
            if region != self.region:
                entry["region"] = region
            shared: list[str] = []
            attachments: dict[str, Any] = {}
            aid_of: dict[str, str] = {}
            for aid_aws in sorted(a for a in atts if atts[a]["TransitGatewayId"] == tid_aws):
                a = atts[aid_aws]
                item: dict[str, Any] = {}
                if a.get("ResourceType") == "vpc":
                    vpc = self.ids.get("vpcs", a.get("ResourceId"))
                    if vpc is None:
                        _note(entry, f"attachment {aid_aws} of VPC {a.get('ResourceId')} (account "
                                     f"{a.get('ResourceOwnerId')}), outside the import")
                        continue
                    item["vpc"] = vpc
                    v = a.get("Vpc", {})
                    item["subnets"] = sorted(x for x in (self.ids.get("subnets", s) for s in v.get("SubnetIds", [])) if x)
                    if (v.get("Options") or {}).get("ApplianceModeSupport") == "enable":
                        item["appliance_mode"] = True
                    owner = a.get("ResourceOwnerId")
                    if owner and owner != t["OwnerId"] and a.get("State") == "available":
                        acct = self.account(owner)
                        if acct not in shared:
                            shared.append(acct)  # an available attachment from another account proves the share
                elif a.get("ResourceType") == "peering":
                    other = self.ids.get("transit_gateways", a.get("ResourceId"))
                    if other is None:
                        _note(entry, f"peering attachment {aid_aws} to {a.get('ResourceId')}, outside the import")
                        continue
                    item["transit_gateway"] = other
                else:
                    _note(entry, f"{a.get('ResourceType')} attachment {aid_aws} ({a.get('ResourceId')}): "
                                 "on-premises networks are not read from the account")
                    continue
                name = name_tag(a) or (item.get("vpc") if "vpc" in item else None)
                aid = self.ids.take(f"tgw-att:{tid_aws}", aid_aws, name)
                aid_of[aid_aws] = aid
                item["x-aws-id"] = aid_aws
                attachments[aid] = item
            if shared:
                entry["shared_with"] = shared
            entry["attachments"] = attachments
            mine = [tables[k] for k in sorted(tables) if tables[k]["TransitGatewayId"] == tid_aws]
            if mine:
                rts: dict[str, Any] = {}
                for rt in mine:
                    rid = self.ids.take(f"tgw-rt:{tid_aws}", rt["TransitGatewayRouteTableId"], name_tag(rt))
                    routes = []
                    for r in rt.get("Routes", []):
                        if r.get("Type") != "static":
                            continue
                        route: dict[str, Any] = {"destination": r.get("DestinationCidrBlock")}
                        if r.get("State") == "blackhole":
                            route["blackhole"] = True
                        else:
                            ref = next((aid_of.get(x.get("TransitGatewayAttachmentId"))
                                        for x in r.get("TransitGatewayAttachments", [])), None)
                            if not ref:
                                continue
                            route["attachment"] = ref
                        routes.append(route)
                    rts[rid] = {"associations": [aid_of[x["TransitGatewayAttachmentId"]] for x in rt.get(
                                    "Associations", []) if x.get("TransitGatewayAttachmentId") in aid_of],
                                "propagations": [aid_of[x["TransitGatewayAttachmentId"]] for x in rt.get(
                                    "Propagations", []) if x.get("TransitGatewayAttachmentId") in aid_of],
                                "routes": routes, "x-aws-id": rt["TransitGatewayRouteTableId"]}
                entry["route_tables"] = rts
            elif t["OwnerId"] not in self.accounts.values() and t["OwnerId"] not in {a.id for a in self.f.accounts}:
                _note(entry, "route tables: the owner's account was not read")
            out[tid] = entry

    def hosted_zones(self) -> None:
        zones = []
        endpoint_dns = {}
        for p in self.f.parts:
            for e in p.endpoints:
                for d in e.get("DnsEntries", []):
                    if d.get("DnsName") and self.ids.get("endpoints", e["VpcEndpointId"]):
                        endpoint_dns[d["DnsName"].rstrip(".").lower()] = self.ids.get("endpoints", e["VpcEndpointId"])
        for number in sorted(self.f.hosted_zones):
            for z in self.f.hosted_zones[number]:
                entry: dict[str, Any] = {"name": z["Name"].rstrip("."), "account": self.account(number)}
                entry["vpcs"] = [x for x in (self.ids.get("vpcs", v.get("VPCId")) for v in z.get("VPCs", [])) if x]
                records = []
                for r in z.get("Records", []):
                    rec = self._record(r, endpoint_dns, entry)
                    if rec:
                        records.append(rec)
                entry["records"] = records
                entry["x-aws-id"] = z["Id"].rsplit("/", 1)[-1]
                zones.append(entry)
        if zones:
            self.d["hosted_zones"] = zones

    def _record(self, r: dict[str, Any], endpoint_dns: dict[str, str], zone: dict[str, Any]) -> dict[str, Any] | None:
        name = r["Name"].rstrip(".").replace("\\052", "*")
        rtype = r.get("Type")
        if rtype in ("SOA", "NS"):
            return None
        if r.get("AliasTarget"):
            target = r["AliasTarget"].get("DNSName", "").rstrip(".").lower()
            ref = endpoint_dns.get(target) or next((v for k, v in endpoint_dns.items()
                                                   if target.endswith("." + k.split(".", 1)[-1])
                                                   and target.split(".", 1)[0].endswith(k.split(".", 1)[0])), None)
            if ref:
                return {"name": name, "type": "alias", "endpoint": ref}
            return {"name": name, "type": "alias", "values": [target]}
        values = [x["Value"].rstrip(".") for x in r.get("ResourceRecords", [])]
        if rtype == "CNAME":
            ref = next((endpoint_dns[v.lower()] for v in values if v.lower() in endpoint_dns), None)
            return {"name": name, "type": "cname", "endpoint": ref} if ref else {"name": name, "type": "cname",
                                                                                 "values": values}
        if rtype == "A":
            return {"name": name, "type": "a", "values": values}
        _note(zone, f"{rtype} record {name}")
        return None

    def resolver(self) -> None:
        eps: dict[str, Any] = {}
        for p in self.f.parts:
            for e in p.resolver_endpoints:
                rid = self.ids.take("resolver_endpoints", e["Id"], e.get("Name") or name_tag(e))
                entry: dict[str, Any] = {"vpc": self.ids.get("vpcs", e["HostVPCId"]),
                                         "direction": str(e.get("Direction", "")).lower()}
                entry["subnets"] = [x for x in (self.ids.get("subnets", ip.get("SubnetId"))
                                                for ip in e.get("IpAddresses", [])) if x]
                entry["security_groups"] = [x for x in (self.ids.get("security_groups", g)
                                                        for g in e.get("SecurityGroupIds", [])) if x]
                entry["x-aws-id"] = e["Id"]
                eps[rid] = entry
        if eps:
            self.d["resolver_endpoints"] = eps
        rules: dict[str, Any] = {}
        for p in self.f.parts:
            for r in p.resolver_rules:
                rid = self.ids.take("resolver_rules", r["Id"], r.get("Name") or name_tag(r))
                entry = {"domain": str(r.get("DomainName", "")).rstrip("."),
                         "type": "forward" if r.get("RuleType") == "FORWARD" else "system"}
                if entry["type"] == "forward":
                    out = self.ids.get("resolver_endpoints", r.get("ResolverEndpointId"))
                    if out:
                        entry["outbound_endpoint"] = out
                    else:
                        _note(entry, f"outbound endpoint {r.get('ResolverEndpointId')}, outside the import")
                    entry["targets"] = [t["Ip"] for t in r.get("TargetIps", []) if t.get("Ip")]
                entry["vpcs"] = [x for x in (self.ids.get("vpcs", v) for v in r.get("VpcIds", [])) if x]
                entry["x-aws-id"] = r["Id"]
                rules[rid] = entry
        if rules:
            self.d["resolver_rules"] = rules

    def build(self, name: str, title: str | None) -> dict[str, Any]:
        accounts = ", ".join(a.id for a in self.f.accounts)
        self.d.update({"version": 1.1, "name": name,
                       "title": title or f"AWS account{'s' if len(self.f.accounts) > 1 else ''} {accounts}",
                       "description": f"Imported from AWS with `plinkdocs import aws` (regions: "
                                      f"{', '.join(self.f.regions)}).",
                       "region": self.region})
        for a in self.f.accounts:
            self.account(a.id, a.label)
        self.vpcs()
        self.security_groups()
        self.load_balancers()
        self.endpoint_services()
        self.endpoints()
        self.peerings()
        self.transit_gateways()
        self.route_tables()
        self.hosted_zones()
        self.resolver()
        order = ["version", "name", "title", "description", "region", "accounts", "vpcs", "transit_gateways",
                 "security_groups", "load_balancers", "endpoint_services", "endpoints", "peerings", "hosted_zones",
                 "resolver_endpoints", "resolver_rules"]
        return {k: self.d[k] for k in order if k in self.d and (self.d[k] or k == "vpcs")}


def to_design(facts: Any, name: str = "aws-import", title: str | None = None) -> dict[str, Any]:
    """The data of a design (a YAML-ready dict) from the facts of `aws.read`."""
    return _Builder(facts).build(name, title)
