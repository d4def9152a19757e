"""Health-check defaults follow the target type, as AWS sets them."""

from __future__ import annotations

from tests.helpers import run_design


def _tg(target_type: str, extra: dict | None = None):
    design = {"load_balancers": {"app-nlb": {"target_groups": {"app": {
        "target_type": target_type, "health_check": None, "targets": None, **(extra or {})}}}}}
    result = run_design(design)
    assert result.model is not None, [f.message for f in result.findings]
    return result.model.load_balancers["app-nlb"].target_groups["app"]


def test_instance_targets_default_to_tcp_on_the_traffic_port():
    tg = _tg("instance")
    assert (tg.health_check.protocol, tg.health_check_port) == ("TCP", 8443)


def test_alb_targets_default_to_http():
    assert _tg("alb").health_check.protocol == "HTTP"


def test_lambda_targets_have_no_health_check_unless_enabled():
    tg = _tg("lambda", {"protocol": None, "port": None})
    assert tg.health_check.protocol is None and tg.health_check_port is None
    tg = _tg("lambda", {"protocol": None, "port": None, "health_check": {"protocol": "HTTP", "port": 80}})
    assert (tg.health_check.protocol, tg.health_check_port) == ("HTTP", 80)
