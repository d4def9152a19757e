"""Diagrams, step 2: DOT. The plan is written through the `diagrams` package's classes, and
the DOT text taken from the graph it builds (see the package docstring for the defects handled)."""

from __future__ import annotations

import contextvars
import html
import re
import textwrap
from functools import lru_cache
from typing import Iterable, Sequence

from plinkdocs.outputs.diagram.planner import (
    BADGE,
    EDGE_ATTRS,
    FONT,
    GENERATED,
    GRAPH_ATTRS,
    HEALTHY,
    ICON_SIZE,
    INK,
    LEGEND,
    MUTED,
    NODE_ATTRS,
    SMALL_ICON_SIZE,
    SMALL_PT,
    UNHEALTHY,
    Box,
    Group,
    Line,
    Link,
    Mark,
    Plan,
    key_of,
    plan,
)

# -- DOT ----------------------------------------------------------------------------------

LEGEND_WRAP = 20  # characters per line of a legend entry
CLUSTER_MARGIN = "5"  # points between a cluster's border and what it holds (Graphviz's default: 8)
TITLE_WRAP = 48  # characters per line of the diagram's title

def esc(text) -> str:
    """A string from the design, safe inside a Graphviz HTML-like label (and in XML)."""
    return html.escape(re.sub(r"[\r\n\t]+", " ", str(text)), quote=True)


def _text(line: Line) -> str:
    t = esc(line.text)
    if line.kind == "name":
        return f"<B>{t}</B>"
    if line.kind == "small":
        return f'<FONT POINT-SIZE="{SMALL_PT}">{t}</FONT>'
    if line.kind == "healthy":
        return f'<FONT POINT-SIZE="{SMALL_PT}" COLOR="{HEALTHY}">{t}</FONT>'
    if line.kind == "unhealthy":
        return f'<FONT POINT-SIZE="{SMALL_PT}" COLOR="{UNHEALTHY}">{t}</FONT>'
    return t


def _badges(marks: Sequence[Mark], align: str = "CENTER") -> list[str]:
    rows = []
    for sev in ("error", "warning"):
        rules = list(dict.fromkeys(m.rule for m in marks if m.severity == sev))
        if rules:
            bg, fg = BADGE[sev]
            rows.append(f'<TR><TD ALIGN="{align}" BGCOLOR="{bg}"><FONT COLOR="{fg}" POINT-SIZE="11"><B>'
                        f'{sev} {esc(", ".join(rules))}</B></FONT></TD></TR>')
    return rows


def _worst(marks: Sequence[Mark]) -> str | None:
    if any(m.severity == "error" for m in marks):
        return "error"
    return "warning" if marks else None


@lru_cache(maxsize=None)
def _icon_path(spec: str) -> str:
    """`network.Endpoint` -> `resources/aws/network/endpoint.png`, relative to the diagrams package's parent."""
    import importlib

    mod, _, cls_name = spec.rpartition(".")
    cls = getattr(importlib.import_module(f"diagrams.aws.{mod}"), cls_name)
    return f"{cls._icon_dir}/{cls._icon}"


def _node_class(spec: str | None):
    import importlib

    from diagrams import Node

    if not spec:
        return Node
    mod, _, cls_name = spec.rpartition(".")
    return getattr(importlib.import_module(f"diagrams.aws.{mod}"), cls_name)


def _box_label(b: Box, marks: Sequence[Mark]) -> str:
    rows = []
    if b.icon:
        size = SMALL_ICON_SIZE if b.small else ICON_SIZE
        rows.append(f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}">'
                    f'<IMG SRC="{_icon_path(b.icon)}" SCALE="TRUE"/></TD></TR>')
    rows += [f"<TR><TD>{_text(x)}</TD></TR>" for x in b.lines]
    rows += _badges(marks)
    worst = _worst(marks)
    if worst:
        frame = f' BORDER="3" COLOR="{BADGE[worst][0]}" STYLE="rounded"'
    elif b.dashed:
        frame = f' BORDER="1" COLOR="{UNHEALTHY}" STYLE="dashed"'
    elif b.framed:
        frame = f' BORDER="1" COLOR="{MUTED}" STYLE="rounded"'
    else:
        frame = ' BORDER="0"'
    return f'<<TABLE{frame} CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(rows)}</TABLE>>'


def _group_label(g: Group, marks: Sequence[Mark]) -> str:
    rows = [f'<TR><TD ALIGN="LEFT">{_text(x)}</TD></TR>' for x in g.lines]
    rows += _badges(marks, "LEFT")
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>>'


def _edge_label(lines: Sequence[Line], marks: Sequence[Mark]) -> str | None:
    if not lines and not marks:
        return None
    rows = [f"<TR><TD>{_text(x)}</TD></TR>" for x in lines] + _badges(marks)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" BGCOLOR="#FFFFFF">{"".join(rows)}</TABLE>>'


def _title_label(p: Plan) -> str:
    title = '<BR ALIGN="LEFT"/>'.join(esc(x) for x in textwrap.wrap(p.title, TITLE_WRAP)) or esc(p.title)
    rows = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="18"><B>{title}<BR ALIGN="LEFT"/></B></FONT></TD></TR>',
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="11" COLOR="{MUTED}">{esc(p.name)}</FONT></TD></TR>']
    for mk in p.marks.get("graph", ()):
        bg, fg = BADGE[mk.severity]
        rows.append(f'<TR><TD ALIGN="LEFT" BGCOLOR="{bg}"><FONT COLOR="{fg}" POINT-SIZE="11"><B>{mk.severity} '
                    f'{esc(mk.rule)}</B>: {esc(mk.message)}</FONT></TD></TR>')
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(rows)}</TABLE>>'


def _legend_label(p: Plan) -> str:
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    for kind in p.legend:
        how, sample, color, text = LEGEND[kind]
        if how == "badge":
            bg, fg = BADGE[kind]
            cell = f'<TD ALIGN="LEFT" BGCOLOR="{bg}"><FONT COLOR="{fg}" POINT-SIZE="{SMALL_PT}"><B>{esc(sample)}</B></FONT></TD>'
        elif how == "icon":
            cell = (f'<TD FIXEDSIZE="TRUE" WIDTH="{SMALL_ICON_SIZE}" HEIGHT="{SMALL_ICON_SIZE}">'
                    f'<IMG SRC="{_icon_path(sample)}" SCALE="TRUE"/></TD>')
        else:
            cell = f'<TD ALIGN="LEFT"><FONT COLOR="{color}"><B>{esc(sample)}</B></FONT></TD>'
        # wrapped, so that the legend is no wider than a column of the diagram
        wrapped = '<BR ALIGN="LEFT"/>'.join(esc(x) for x in textwrap.wrap(text, LEGEND_WRAP))
        rows.append(f'<TR>{cell}<TD ALIGN="LEFT"><FONT POINT-SIZE="{SMALL_PT}">{wrapped}<BR ALIGN="LEFT"/></FONT></TD></TR>')
    return (f'<<TABLE BORDER="1" COLOR="{MUTED}" STYLE="rounded" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">'
            f'{"".join(rows)}</TABLE>>')


def _link_attrs(link: Link, marks: Sequence[Mark]) -> dict:
    attrs = dict(link.attrs)
    worst = _worst(marks)
    if worst:
        attrs["color"] = BADGE[worst][0]
        attrs["penwidth"] = "3"
    return attrs


def _dot_from_plan(p: Plan) -> str:
    from diagrams import Cluster, Diagram, Edge, setcluster, setdiagram

    graph_attrs = dict(GRAPH_ATTRS, label=_title_label(p), id="graph")
    d = Diagram(name=p.name, filename=p.name, direction="LR", outformat="svg", show=False,
                graph_attr=graph_attrs, node_attr=NODE_ATTRS, edge_attr=EDGE_ATTRS)
    d.dot.comment = GENERATED
    children: dict[str | None, list] = {}
    for g in p.groups.values():
        children.setdefault(g.parent, []).append(g)
    nodes_in: dict[str | None, list] = {}
    for b in p.boxes.values():
        nodes_in.setdefault(b.parent, []).append(b)
    made: dict[str, object] = {}

    def first_node(group_key: str) -> str:
        for b in nodes_in.get(group_key, ()):
            return b.key
        for g in children.get(group_key, ()):
            found = first_node(g.key)
            if found:
                return found
        return ""

    def add_nodes(parent):
        for b in nodes_in.get(parent, ()):
            marks = p.marks.get(b.key, ())
            if b.invisible:
                attrs = {"shape": "point", "style": "invis", "width": "0.01", "height": "0.01"}
                made[b.key] = _node_class(None)("", nodeid=b.key, **attrs)
                continue
            # `image` and `height` of diagrams' icon nodes are dropped: the icon is part of the
            # label, so the node grows with its text instead of a fixed 1.4-inch box.
            made[b.key] = _node_class(b.icon)(_box_label(b, marks), nodeid=b.key, id=b.key, image=None, height=None,
                                              shape=None)

    def add_groups(parent):
        for g in children.get(parent, ()):
            marks = p.marks.get(g.key, ())
            # A cluster's attributes pass to the clusters inside it: each one sets its own pen.
            attrs = {"id": g.key, "penwidth": "1", "margin": CLUSTER_MARGIN, **g.attrs}
            worst = _worst(marks)
            if worst:
                attrs.update(pencolor=BADGE[worst][0], penwidth="3")
            c = Cluster(_group_label(g, marks), graph_attr=attrs)
            c.dot.name = g.key  # diagrams names a cluster after its label: same labels would merge
            with c:
                add_nodes(g.key)
                add_groups(g.key)

    setdiagram(d)
    setcluster(None)
    try:
        add_groups(None)
        add_nodes(None)
        legend = _node_class(None)(_legend_label(p), nodeid="legend", id="legend")
        made["legend"] = legend
        for link in p.links.values():
            attrs = _link_attrs(link, p.marks.get(link.key, ()))
            ends = []
            for end, side in ((link.tail, "ltail"), (link.head, "lhead")):
                if end.startswith("vpc:"):
                    group = key_of("cluster_vpc", end[4:])
                    node = first_node(group)
                    if not node:
                        break
                    attrs[side] = group
                    ends.append(node)
                else:
                    ends.append(end)
            if len(ends) != 2 or ends[0] not in made or ends[1] not in made:
                continue
            label = _edge_label(link.lines, p.marks.get(link.key, ()))
            # diagrams gives every edge its own font settings (13 pt): the diagram's apply instead
            attrs = {"fontname": FONT, "fontsize": EDGE_ATTRS["fontsize"], "fontcolor": INK, **attrs}
            where = "xlabel" if link.xlabel else "label"
            if link.xlabel and label:
                attrs = {"tailport": "s", "headport": "s", **attrs}
            if attrs.get("minlen") == "0":
                # A line inside one column (minlen=0): Graphviz stacks a flat edge's tail below its
                # head in a left-to-right drawing, so it is written head to tail, drawn backwards,
                # and the column reads top down (service, load balancer, target group, targets).
                ends.reverse()
                edge = Edge(made[ends[0]], reverse=True, id=link.key, **({where: label} if label else {}), **attrs)
            else:
                edge = Edge(made[ends[0]], forward=True, id=link.key, **({where: label} if label else {}), **attrs)
            made[ends[0]].connect(made[ends[1]], edge)
    finally:
        setcluster(None)
        setdiagram(None)
    return d.dot.source


def to_dot(model, findings: Iterable = ()) -> str:
    """The design as Graphviz DOT text: deterministic, with no machine paths in it."""
    return dot_of(plan(model, findings))


def dot_of(p: Plan) -> str:
    # diagrams keeps its current diagram and cluster in context variables: build in a copy of
    # the context, so that a caller's own `with Diagram(...)` is never disturbed.
    return contextvars.copy_context().run(_dot_from_plan, p)
