"""JUnit XML, for CI dashboards: one test suite a file, one test case a rule that fired there.

A test case fails when its rule has a finding in the file that is not waived (errors,
warnings and info findings alike: the dashboard shows what the check found, the exit status
decides what fails the build); the failure lists the findings, one a line, as the text
format writes them. A case whose findings are all waived is skipped, with the reasons. A
file with no findings has one passing case, so that every checked file is on the dashboard.
No timestamps or durations: the same input gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from plinkdocs.core.findings import SEVERITY_RANK
from plinkdocs.outputs.report.text import line

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PASSING = "no findings"


def xml_text(text: str) -> str:
    """Text that XML 1.0 can hold: characters it forbids become U+FFFD."""
    return _XML_INVALID.sub("\ufffd", text)


def _el(parent, tag: str, **attrs) -> ET.Element:
    attrs = {k: xml_text(str(v)) for k, v in attrs.items()}
    return ET.SubElement(parent, tag, attrs) if parent is not None else ET.Element(tag, attrs)


def _line(f) -> str:
    return f"{f.severity}: {line(f, severity=False)}"


def build(result) -> ET.Element:
    suites = []
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for r in result.files:
        cases = []
        by_rule: dict[str, list] = {}
        for f in r.findings:
            by_rule.setdefault(f.rule, []).append(f)
        for rule_id in sorted(by_rule):
            found = by_rule[rule_id]
            active = [f for f in found if f.waived is None]
            cases.append((f"{rule_id} {found[0].name}", rule_id, found, active))
        suites.append((r.file, cases))
        totals["tests"] += max(1, len(cases))
        totals["failures"] += sum(1 for c in cases if c[3])
        totals["skipped"] += sum(1 for c in cases if not c[3])
    root = _el(None, "testsuites", name="plinkdocs", tests=totals["tests"], failures=totals["failures"],
               errors=0, skipped=totals["skipped"])
    for file, cases in suites:
        suite = _el(root, "testsuite", name=file, tests=max(1, len(cases)),
                    failures=sum(1 for c in cases if c[3]), errors=0, skipped=sum(1 for c in cases if not c[3]))
        if not cases:
            _el(suite, "testcase", classname=file, name=PASSING, file=file)
            continue
        for name, rule_id, found, active in cases:
            case = _el(suite, "testcase", classname=file, name=name, file=file, line=found[0].line)
            if active:
                worst = max(active, key=lambda f: SEVERITY_RANK.get(f.severity, 0))
                n = len(active)
                fail = _el(case, "failure", message=f"{n} {worst.severity if n == 1 else 'findings'}: "
                           + active[0].message + (f" (and {n - 1} more)" if n > 1 else ""), type=worst.severity)
                fail.text = xml_text("\n".join(_line(f) for f in found) + "\n")
            else:
                reasons = sorted({f.waived for f in found})
                _el(case, "skipped", message=xml_text("waived: " + "; ".join(reasons)))
    return root


def render(result, config) -> str:
    root = build(result)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
