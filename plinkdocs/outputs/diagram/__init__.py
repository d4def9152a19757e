"""Diagrams: one self-contained, deterministic picture per design, with its findings on it.

The way from a model to a picture:

1. **Plan**: the model becomes clusters (accounts, then VPCs, then AZ IDs, then subnets),
   nodes and edges, each with a stable id made from the YAML ids (``endpoint__app``,
   ``cluster_vpc__consumer``). Findings are mapped onto the element their model path names,
   or the nearest element that owns it.
2. **DOT**: the plan is written through the `diagrams` package's Diagram, Cluster, Node and
   Edge classes, with the icons of its node classes, but never with its file writing: the
   DOT text is taken from the graph it builds. This is where the package's known defects
   (version 0.25) are handled:

   * random node ids: every node is given its id (``nodeid=``);
   * clusters named after their label merge when two labels match: each cluster gets a
     unique internal name after it is made;
   * labels go to Graphviz unescaped (``<``, ``>``, ``\\n``, ``\\l`` change meaning): every
     label is an HTML-like label, and every string from the design is escaped into it;
   * orthogonal edges misplace edge labels: see `GRAPH_ATTRS`;
   * icons are linked by absolute local path: the DOT names them relative to the package
     (``resources/aws/network/endpoint.png``) and Graphviz finds them through ``imagepath``,
     given on its command line, so the DOT is the same on every machine; the SVG then
     embeds each icon once as a data URI.
3. **Render**: Graphviz ``dot`` draws SVG or PNG; the SVG gets a ``<title>`` and ``<desc>``
   and a readable title for every node, cluster and edge; the PNG loses any chunk that could
   carry a time stamp or text. Results are cached by a hash of everything they depend on.

`import diagrams` happens inside functions only: ``plinkdocs check`` never pays for it.
"""

from plinkdocs.outputs.diagram.dot import esc, to_dot
from plinkdocs.outputs.diagram.draw import (
    DEFAULT_CACHE_DIR,
    DEFAULT_FORMATS,
    DIAGRAMS_SERIES,
    FORMATS,
    DiagramError,
    GraphvizMissing,
    Item,
    cache_key,
    diagram_paths,
    graphviz_version,
    parse_formats,
    render,
    render_many,
    strip_png,
    versions,
)
from plinkdocs.outputs.diagram.planner import (
    AWS_SERVICES,
    ERROR,
    GENERATED,
    GENERIC_AWS_ICON,
    LB_TYPES,
    LEGEND,
    TARGET_TYPES,
    WARNING,
    Plan,
    plan,
)

__all__ = ["AWS_SERVICES", "DEFAULT_CACHE_DIR", "DEFAULT_FORMATS", "DIAGRAMS_SERIES", "ERROR", "FORMATS", "GENERATED",
           "GENERIC_AWS_ICON", "LB_TYPES", "LEGEND", "TARGET_TYPES", "WARNING", "DiagramError", "GraphvizMissing",
           "Item", "Plan", "cache_key", "diagram_paths", "esc", "graphviz_version", "parse_formats", "plan", "render",
           "render_many", "strip_png", "to_dot", "versions"]
