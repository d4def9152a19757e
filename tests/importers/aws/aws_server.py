"""A real AWS API server for the import tests: moto in server mode on a local port, behind a small
HTTP proxy that fills the gaps of moto 5.2 with recorded, real-shaped API responses.

moto does not implement DescribeVpcEndpointConnections, reports every endpoint `available`
and every private DNS name `verified`. The proxy forwards every request to moto unchanged,
except that:

* DescribeVpcEndpointConnections is answered from `tests/data/aws/DescribeVpcEndpointConnections.xml`
  (a response as EC2 writes it), one item per connection the test registers, filtered by the
  request's `service-id` filter as EC2 filters it;
* the calls a test names are refused as EC2 refuses a caller over its rate (RequestLimitExceeded);
* every EC2 call signed with the access key `AKIADENIEDEXAMPLE` is refused with EC2's recorded
  UnauthorizedOperation response, as for a user without the import's policy;
* in moto's answers to DescribeVpcEndpoints and DescribeVpcEndpointServiceConfigurations, the
  state of the endpoints and private DNS names that a test names is set to what AWS reports
  for them (`pendingAcceptance`, `pendingVerification`).

Everything else, including every byte the importer sends, goes through real HTTP to moto.
"""

from __future__ import annotations

import http.client
import http.server
import string
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
RECORDED = Path(__file__).resolve().parents[2] / "data" / "aws"
ET.register_namespace("", EC2_NS)


def _q(tag: str) -> str:
    return "{*}" + tag  # any namespace: EC2 writes ".../2016-11-15/", moto ".../2016-11-15"


def _items(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "item"]


@dataclass
class Gaps:
    """What the proxy adds to moto: connections as the provider sees them, and run-time states."""

    connections: list[dict[str, str]] = field(default_factory=list)  # service_id, endpoint_id, owner, lb_arn, state
    endpoint_states: dict[str, str] = field(default_factory=dict)  # vpce-... -> state
    dns_states: dict[str, str] = field(default_factory=dict)  # vpce-svc-... -> private DNS verification state
    throttle: dict[str, int] = field(default_factory=dict)  # action -> how many more calls to refuse as throttled
    throttled: list[str] = field(default_factory=list)  # the actions refused so far
    denied_key: str = "AKIADENIEDEXAMPLE"  # EC2 answers this access key as AWS answers a user without the policy

    def denied(self, action: str) -> bytes:
        text = string.Template((RECORDED / "UnauthorizedOperation.xml").read_text(encoding="utf-8"))
        return text.substitute(account="123456789012", action=action).encode("utf-8")

    def describe_connections(self, params: dict[str, list[str]]) -> bytes:
        wanted = _filter_values(params, "service-id")
        template = string.Template((RECORDED / "DescribeVpcEndpointConnections.xml").read_text(encoding="utf-8"))
        root = ET.fromstring(template.substitute(service_id="S", endpoint_id="E", owner="O", lb_arn="L"))
        conn_set = root.find(_q("vpcEndpointConnectionSet"))
        assert conn_set is not None
        for item in list(conn_set):
            conn_set.remove(item)
        for c in self.connections:
            if wanted is not None and c["service_id"] not in wanted:
                continue
            one = ET.fromstring(template.substitute(c))
            for item in one.find(_q("vpcEndpointConnectionSet")) or []:
                state = item.find(_q("vpcEndpointState"))
                if state is not None:
                    state.text = c.get("state", "pendingAcceptance")
                conn_set.append(item)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)

    def rewrite(self, action: str, body: bytes) -> bytes:
        if action == "DescribeVpcEndpoints" and self.endpoint_states:
            root = ET.fromstring(body)
            for item in _items(root):
                eid = item.findtext(_q("vpcEndpointId"))
                state = item.find(_q("state"))
                if eid in self.endpoint_states and state is not None:
                    state.text = self.endpoint_states[eid]
            return ET.tostring(root, encoding="utf-8", xml_declaration=True)
        if action == "DescribeVpcEndpointServiceConfigurations" and self.dns_states:
            root = ET.fromstring(body)
            for item in _items(root):
                sid = item.findtext(_q("serviceId"))
                state = item.find(f"{_q('privateDnsNameConfiguration')}/{_q('state')}")
                if sid in self.dns_states and state is not None:
                    state.text = self.dns_states[sid]
            return ET.tostring(root, encoding="utf-8", xml_declaration=True)
        return body


THROTTLED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code>'
             b'<Message>Request limit exceeded.</Message></Error></Errors>'
             b'<RequestID>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestID></Response>')


def _filter_values(params: dict[str, list[str]], name: str) -> set[str] | None:
    i = 1
    while f"Filter.{i}.Name" in params:
        if params[f"Filter.{i}.Name"][0] == name:
            j, values = 1, set()
            while f"Filter.{i}.Value.{j}" in params:
                values.add(params[f"Filter.{i}.Value.{j}"][0])
                j += 1
            return values
        i += 1
    return None


class GapProxy:
    """An HTTP server on 127.0.0.1 that forwards to moto and fills its gaps (see the module doc)."""

    def __init__(self, upstream: tuple[str, int], gaps: Gaps):
        proxy = self
        self.upstream, self.gaps = upstream, gaps

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                params = urllib.parse.parse_qs(body.decode("utf-8", "replace")) \
                    if "x-www-form-urlencoded" in ctype else {}
                action = (params.get("Action") or [""])[0]
                signed = self.headers.get("Authorization", "")
                if f"Credential={proxy.gaps.denied_key}/" in signed and "/ec2/aws4_request" in signed:
                    self._reply(403, {"Content-Type": "text/xml"}, proxy.gaps.denied(action))
                    return
                if proxy.gaps.throttle.get(action, 0) > 0:
                    proxy.gaps.throttle[action] -= 1
                    proxy.gaps.throttled.append(action)
                    self._reply(503, {"Content-Type": "text/xml"}, THROTTLED)
                    return
                if action == "DescribeVpcEndpointConnections":
                    self._reply(200, {"Content-Type": "text/xml"}, proxy.gaps.describe_connections(params))
                    return
                conn = http.client.HTTPConnection(*proxy.upstream, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                if resp.status == 200 and action:
                    data = proxy.gaps.rewrite(action, data)
                out = {k: v for k, v in resp.getheaders()
                       if k.lower() not in ("content-length", "transfer-encoding", "connection")}
                conn.close()
                self._reply(resp.status, out, data)

            def _reply(self, status: int, headers: dict[str, str], data: bytes) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
