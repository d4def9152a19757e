"""AWS facts that change, read from the dated data files in `plinkdocs/data/aws/`.

Each file carries `as_of` and `source` (per file or per entry). The rules ask questions
here instead of holding constants: which private DNS names a service's endpoint answers,
which AZ IDs a region has, which AWS services are reachable across regions, which
services need companion endpoints, which support endpoint policies and hold data. An
answer of None means "not known": a rule then stays quiet rather than guess.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "aws"


class AwsDataError(ValueError):
    """A data file (the bundled one or a user's) that cannot be read or has the wrong shape."""


@functools.lru_cache(maxsize=None)
def _bundled(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# -- private DNS names -------------------------------------------------------------------

def _names_table() -> dict:
    return _bundled("private-dns-names.yaml")["services"]


def private_dns_names(service: str, region: str) -> Optional[tuple[str, ...]]:
    """The names private DNS on an interface endpoint to AWS service `service` (as written
    after `aws:`) in `region` makes resolve to the endpoint, the default name first; None
    when the service is not in the table."""
    entry = _names_table().get(service)
    if entry is None:
        return None
    names = [entry["name"], *entry.get("also", ())]
    return tuple(n.replace("{region}", region) for n in names)


def private_dns_name(service: str, region: str) -> Optional[str]:
    names = private_dns_names(service, region)
    return names[0] if names else None


def is_global_service(service: str) -> bool:
    entry = _names_table().get(service)
    return bool(entry and entry.get("global"))


# -- regions and AZs ---------------------------------------------------------------------

def _azs() -> dict:
    return _bundled("availability-zones.yaml")


def az_id_prefix(region: str) -> Optional[str]:
    """`use1` for us-east-1; None for a region the data does not know."""
    entry = _azs()["regions"].get(region)
    return entry.get("az_id_prefix") if entry else None


def region_of_az_id(az_id: str) -> Optional[str]:
    """The region whose AZ IDs start with `az_id`'s prefix, or None."""
    prefix = az_id.rsplit("-", 1)[0]
    for region, entry in _azs()["regions"].items():
        if entry.get("az_id_prefix") == prefix:
            return region
    return None


@dataclass(frozen=True)
class Offered:
    """The AZ IDs an AWS service offers endpoints in, in one region, with where it came from."""

    az_ids: tuple
    confirmed: bool
    as_of: str
    source: str


def _service_entries(data: dict, where: str) -> dict:
    if not isinstance(data, dict) or not isinstance(data.get("services", {}), dict):
        raise AwsDataError(f"{where}: expected a mapping with `services: {{<service>: {{<region>: ...}}}}`")
    out = {}
    for service, regions in (data.get("services") or {}).items():
        if not isinstance(regions, dict):
            raise AwsDataError(f"{where}: services.{service} must map regions to entries")
        for region, entry in regions.items():
            at = f"{where}: services.{service}.{region}"
            if not isinstance(entry, dict) or not isinstance(entry.get("az_ids"), list):
                raise AwsDataError(f"{at} needs `az_ids`, a list of AZ IDs")
            for key in ("as_of", "source"):
                if key not in entry and key not in data:
                    raise AwsDataError(f"{at} needs `{key}` (or the file a top-level `{key}`)")
            out[(str(service), str(region))] = Offered(
                tuple(str(a) for a in entry["az_ids"]), bool(entry.get("confirmed", True)),
                str(entry.get("as_of", data.get("as_of"))), str(entry.get("source", data.get("source"))))
    return out


@functools.lru_cache(maxsize=16)
def _user_service_azs(path: str, mtime_ns: int) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except OSError as e:
        raise AwsDataError(f"{path}: cannot read the service-AZ data ({e.strerror})") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise AwsDataError(f"{at}: not valid YAML ({getattr(e, 'problem', e)})") from None
    return _service_entries(data, path)


def service_azs(path: str = "") -> dict:
    """(service, region) -> Offered: the bundled table, or the user's file at `path`."""
    if not path:
        return _service_entries(_azs(), "plinkdocs/data/aws/availability-zones.yaml")
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError:
        raise AwsDataError(f"{path}: the service-AZ data file does not exist") from None
    return _user_service_azs(str(path), mtime)


# -- cross-region --------------------------------------------------------------------------

def _cross() -> dict:
    return _bundled("cross-region.yaml")


def cross_region_aws_services() -> frozenset:
    return frozenset(_cross()["aws_services"]["names"])


def cross_region_as_of() -> str:
    return str(_cross()["aws_services"]["as_of"])


def cross_region_unsupported_az_ids() -> frozenset:
    return frozenset(_cross()["unsupported_az_ids"]["az_ids"])


def remote_access_az_ids(region: str) -> Optional[Offered]:
    """The AZ IDs of `region` that accept a cross-region endpoint, or None when unknown."""
    entry = _cross()["remote_access_az_ids"].get(region)
    if entry is None:
        return None
    return Offered(tuple(entry["az_ids"]), bool(entry.get("confirmed", False)), str(entry["as_of"]),
                   str(entry["source"]))


# -- companion endpoints, endpoint policies --------------------------------------------------

def endpoint_families() -> dict:
    return _bundled("endpoint-families.yaml")["families"]


def policy_data_services() -> dict:
    """service -> its entry: AWS services that support endpoint policies and hold data."""
    return _bundled("endpoint-policies.yaml")["services"]


def service_az_table(options: Mapping[str, Any]) -> dict[tuple[str, str], Offered]:
    """(service, region) -> Offered for PL205's `options`: the inline `offered` table, else the
    user's `data` file, else the bundled data. Read once per configuration by the check
    pipeline and handed to the rules in their context; raises AwsDataError."""
    inline = options.get("offered") or {}
    if inline:
        out = {}
        for service, regions in inline.items():
            for region, az_ids in (regions or {}).items():
                out[(str(service), str(region))] = Offered(
                    tuple(str(a) for a in az_ids or ()), True, "your configuration", "options.PL205.offered")
        return out
    return service_azs(str(options.get("data") or ""))


def user_files(options: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The user's data files that findings depend on (PL205's `data` option; `options` is the
    configuration's per-rule options): the result cache hashes their contents, so that editing
    one is never answered from the cache."""
    path = (options.get("PL205") or {}).get("data")
    return [str(path)] if path else []
