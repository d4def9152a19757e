"""`plinkdocs import aws`: the glue between the command line and the AWS importer.

boto3 is an optional extra: this module imports the importer only when the command runs, and
says how to install it when it is missing.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
from typing import Any

import yaml

from plinkdocs.cli.iac import write_design
from plinkdocs.core.errors import CommandError
from plinkdocs.core.fsutil import write_atomic


class ImportFailed(CommandError):
    """An import that cannot go on, in one line."""


def _need_boto3() -> None:
    try:
        import boto3  # noqa: F401  # lazy: the optional extra, only for this command
    except ImportError:
        raise ImportFailed("boto3 is not installed: pip install 'plinkdocs[aws]'") from None


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def _name_of(args: Any) -> str:
    if args.name:
        return str(args.name)
    out = args.update or args.output
    if out and out != "-":
        return os.path.splitext(os.path.basename(out))[0]
    return "aws-import"


def run(args: Any) -> int:
    _need_boto3()
    from plinkdocs.importers import aws  # lazy: boto3, only for this command
    from plinkdocs.importers.aws_design import to_design  # lazy: this command only

    try:
        if args.service_azs:
            return _service_azs(args, aws)
        facts = aws.read(args.profile, args.role_arn, args.region, args.vpc, traffic=not args.no_traffic)
    except aws.AwsImportError as e:
        raise ImportFailed(str(e)) from None
    design = to_design(facts, name=_name_of(args), title=args.title)
    return write_design(design, args, "what the accounts hold and the format does not")


def _write(text: str, out: str | None) -> None:
    if out and out != "-":
        try:
            write_atomic(out, text)
        except OSError as e:
            raise ImportFailed(f"{out}: cannot write: {e.strerror or e}") from None
    else:
        sys.stdout.write(text)


def _service_azs(args: Any, aws: Any) -> int:
    """The AZ IDs each AWS service is offered in, in the format of PL205's data (`options.PL205.data`)."""
    account, by_region = aws.read_service_azs(args.profile, args.role_arn, args.region)
    services: dict[str, dict[str, Any]] = {}
    for region in sorted(by_region):
        for service, az_ids in by_region[region].items():
            if az_ids:
                services.setdefault(service, {})[region] = {"az_ids": az_ids}
    data = {"as_of": _dt.date.today().isoformat(),
            "source": f"DescribeVpcEndpointServices and DescribeAvailabilityZones in account {account}, read by "
                      "plinkdocs import aws --service-azs",
            "services": {k: services[k] for k in sorted(services)}}
    text = ("# The AZ IDs in which each AWS service offers interface endpoints, per region: PL205's data\n"
            "# (.plinkdocs.yaml: options: {PL205: {data: <this file>}}).\n" + _dump(data))
    _write(text, args.output)
    print(f"plinkdocs import aws: the AZ IDs of {len(services)} service(s) in {len(by_region)} region(s)",
          file=sys.stderr)
    return 0
