"""What a check returns: one FileResult per design, gathered in a RunResult."""

from __future__ import annotations

from dataclasses import dataclass, field

from plinkdocs.core.findings import Finding
from plinkdocs.core.load import Document
from plinkdocs.model.architecture import Architecture


@dataclass
class FileResult:
    file: str
    document: Document | None  # None in a light result (from a worker process)
    model: Architecture | None
    findings: list  # sorted, waived ones included
    name: str | None = None  # the design's name, once it passed the schema and the references
    name_finding: Finding | None = None  # the PL006 finding this file gets if its name is taken

    def slim(self) -> "FileResult":
        """The same result with the document's data and text but not its node tree: what a
        worker process sends back when the model is needed (the site)."""
        doc = self.document
        if doc is not None:
            doc = Document(file=doc.file, text=doc.text, data=doc.data, findings=list(doc.findings),
                           disabled=dict(doc.disabled), loaded=doc.loaded)
        return FileResult(self.file, doc, self.model, self.findings, self.name, self.name_finding)

    def light(self) -> "FileResult":
        """The same result without the node tree and the model: cheap to send between processes."""
        return FileResult(self.file, None, None, self.findings, self.name, self.name_finding)


@dataclass
class RunResult:
    files: list = field(default_factory=list)

    @property
    def findings(self) -> list:
        return [f for r in self.files for f in r.findings]

    @property
    def active(self) -> list:
        """Findings that count: not waived."""
        return [f for f in self.findings if f.waived is None]
