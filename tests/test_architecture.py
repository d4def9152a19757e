"""The layers, enforced: imports only go down, nothing imports in a cycle, and an import
inside a function says why it is there.

Layers, lowest first (docs/architecture.md): a module may import its own layer and the
layers below it. Within one layer, packages listed together are independent of each other
(the command line and the MkDocs plugin are two edges over the same core)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plinkdocs"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("plinkdocs.core",),
    ("plinkdocs.importers",),
    ("plinkdocs.model",),
    ("plinkdocs.analysis",),
    ("plinkdocs.rules",),
    ("plinkdocs.pipeline",),
    ("plinkdocs.outputs",),
    ("plinkdocs.cli", "plinkdocs.mkdocs_plugin"),
)
TOP = ("plinkdocs.__main__",)  # may import anything
LAZY_MARK = "# lazy:"  # an import inside a function carries this comment, saying why


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of a plinkdocs module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == "plinkdocs":
                        target = _resolve(alias.name)
                        if target:
                            found.append((target, child.lineno, nested))
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module \
                    and child.module.split(".")[0] == "plinkdocs":
                for alias in child.names:
                    target = _resolve(f"{child.module}.{alias.name}") or _resolve(child.module)
                    if target:
                        found.append((target, child.lineno, nested))
            visit(child, inner)

    visit(tree, False)
    return [(t, line, nested) for t, line, nested in found if t != module]


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _place(module: str) -> tuple[int, str] | None:
    """(layer index, the package of that layer) of a module; None for the root and the top."""
    for i, group in enumerate(LAYERS):
        for pkg in group:
            if module == pkg or module.startswith(pkg + "."):
                return i, pkg
    return None


def test_every_module_is_in_a_layer():
    homeless = [m for m in MODULES if _place(m) is None and m != "plinkdocs" and m not in TOP]
    assert not homeless, f"modules outside every layer: {homeless}"


def test_the_package_root_imports_nothing_of_its_own():
    assert not GRAPH["plinkdocs"]


def test_imports_only_go_down():
    bad = []
    for module, imports in GRAPH.items():
        here = _place(module)
        if here is None:
            continue
        for target, line, _ in imports:
            there = _place(target)
            if there is None:
                if target != "plinkdocs":
                    bad.append(f"{module}:{line} imports {target}, above every layer")
                continue
            if there[0] > here[0]:
                bad.append(f"{module}:{line} imports {target} from a higher layer")
            elif there[0] == here[0] and there[1] != here[1]:
                bad.append(f"{module}:{line} imports {target}, an independent package of its layer")
    assert not bad, "\n".join(bad)


def test_no_import_cycle():
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def walk(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for target, _, _ in GRAPH[m]:
            if state.get(target) == 1:
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                walk(target)
        stack.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            walk(m)
    assert not cycles, "\n".join(cycles)


def test_an_import_inside_a_function_says_why():
    """Only to keep a heavy import off a light path (start-up of `plinkdocs check`, the
    commands a run does not use): never to dodge a cycle, which the test above forbids."""
    bad = []
    for module, imports in GRAPH.items():
        lines = MODULES[module].read_text(encoding="utf-8").splitlines()
        for _, line, nested in imports:
            if nested and LAZY_MARK not in lines[line - 1]:
                bad.append(f"{module}:{line}: {lines[line - 1].strip()}")
    assert not bad, "function-level imports without a `# lazy: <why>` comment:\n" + "\n".join(sorted(set(bad)))


def test_the_graph_sees_imports():
    """The test above must be able to fail: the check pipeline imports the model."""
    assert any(t == "plinkdocs.model.architecture" for t, _, _ in GRAPH["plinkdocs.pipeline.check"])


def test_the_check_path_stays_light(tmp_path):
    """`plinkdocs check` imports no diagram, template or site library, and not boto3 (an optional extra)."""
    base = PACKAGE / "rules" / "base.yaml"
    code = ("import sys; from plinkdocs.cli import main; main(['check', '--no-cache', sys.argv[1]]); "
            "print(sorted(m for m in ('diagrams', 'jinja2', 'markupsafe', 'mkdocs', 'markdown', 'markdown_it', 'boto3', "
            "'botocore', 'plinkdocs.importers.aws') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(base)], capture_output=True, text=True, cwd=tmp_path,
                         timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


def test_import_aws_without_boto3_says_how_to_install_it(tmp_path):
    code = ("import sys; sys.modules['boto3'] = None; from plinkdocs.cli import main; "
            "sys.exit(main(['import', 'aws', '--region', 'us-east-1']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 1
    assert out.stderr == "plinkdocs import: boto3 is not installed: pip install 'plinkdocs[aws]'\n", out.stderr
