"""PL406 port-not-listened: a workload calls a port the service's load balancer does not listen on."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For each workload call through an interface endpoint to a service in the file, checks that
every Network Load Balancer of the service has a listener on the called port for the
call's protocol (a tcp call needs a TCP, TLS, TCP_UDP, HTTP or HTTPS listener; a udp call a
UDP or TCP_UDP one). Calls to AWS and partner services are not checked: their listeners are
not in the file.

## Why is this bad?
An endpoint forwards only the ports its service's load balancer listens on. A call to any
other port is refused, often because the caller used the targets' port (8443) instead of
the listener's (443). When a service has several load balancers, each endpoint network
interface sticks to one of them, so a port missing on one fails for some clients only.

## Example
```yaml
workloads:
  client:
    calls: [{endpoint: app, port: 8443}]
```

## Use instead
```yaml
workloads:
  client:
    calls: [{endpoint: app, port: 443}]
```
"""

META = RuleMeta(
    id="PL406",
    name="port-not-listened",
    severity="error",
    summary="A workload calls a port the service's load balancer has no listener for.",
    fix="Call a port the load balancer listens on, or add a listener for the called port.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html",
    tags=("load-balancer", "ports"),
    doc=DOC,
)


def _listens(lb) -> str:
    if not lb.listeners:
        return "it has no listener"
    return "it listens on " + ", ".join(f"{li.protocol} {li.port}" for li in lb.listeners)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for site in net.call_sites(model):
        w, c, ep = site.workload, site.call, site.endpoint
        if ep.type != "interface":
            continue
        svc = model.service_of(ep)
        if svc is None:
            continue
        missing = [lb for lb in net.network_lbs(model, svc) if net.listener_for(lb, c.protocol, c.port) is None]
        if not missing:
            continue
        what = "; ".join(f"NLB `{lb.id}` has no {c.protocol} listener on port {c.port} ({_listens(lb)})"
                         for lb in missing)
        yield Violation(
            c.path + ("port",),
            f"workload `{w.id}` calls endpoint `{ep.id}` (service `{svc.id}`) on {c.protocol} {c.port}, but {what}",
            f"call a port the service listens on, or add a {c.protocol.upper()} listener on port {c.port} to "
            + net.ticks(lb.id for lb in missing))
