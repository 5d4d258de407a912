"""The floors of the code base, read from its imports: data and the price table, then the core,
then links and reports, then the command line and the pages. An import never runs from a lower
floor to a higher one, no two modules import each other (directly or round a circle), and only
the pages import streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pricing", "scenarios", "cli", "app_pages")

FLOORS = (
    ("the price table", ("pricing",)),
    ("text", ("scenarios.written", "scenarios.formatting", "scenarios.inputs")),
    (
        "the core",
        (
            "scenarios.fields",
            "scenarios.currency",
            "scenarios.traffic",
            "scenarios.routing",
            "scenarios.session",
            "scenarios.tokens",
            "scenarios.scenario",
        ),
    ),
    ("links and reports", ("scenarios",)),
    ("the command line and the pages", ("cli", "app_pages", "app")),
)
"""Each floor's modules, by prefix (the longest prefix decides: ``scenarios.links`` is on the
links floor, ``scenarios.fields`` in the core); lower floors first."""


def modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports (a package's own parents left out: importing a
    submodule runs them anyway)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in known else base)
    found = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name and not name.startswith(target + "."):
            found.add(target)
    return found


def floor(name: str) -> int:
    best, level = -1, -1
    for at, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, level = len(prefix), at
    assert level >= 0, f"{name} is on no floor: add it to FLOORS"
    return level


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def test_no_import_runs_back_up():
    upward = [
        f"{name} ({FLOORS[floor(name)][0]}) imports {target} ({FLOORS[floor(target)][0]})"
        for name, targets in graph().items()
        for target in sorted(targets)
        if floor(target) > floor(name)
    ]
    assert upward == []


def test_no_circle():
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (top := stack.pop()) != node:
                component.append(top)
            if component:
                circles.append(sorted([node, *component]))

    for node in edges:
        if node not in index:
            visit(node)
    assert circles == []


def test_only_the_pages_import_streamlit():
    known = modules()
    importers = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                importers.append(name)
    assert importers and all(n == "app" or n.startswith("app_pages") for n in importers)


def test_a_module_on_no_floor_is_named():
    try:
        floor("somewhere_else")
    except AssertionError as exc:
        assert "somewhere_else is on no floor" in str(exc)
    else:
        raise AssertionError("a module on no floor was accepted")
