"""The package's shape: no import cycle among collate's modules, no function over 80 lines.

Both walk the source with :mod:`ast`, so they see every import (top-level or inside a
function, ``TYPE_CHECKING`` blocks excepted) and every function, and name the offenders.
"""

from __future__ import annotations

import ast
from pathlib import Path

import collate

PACKAGE = Path(collate.__file__).resolve().parent
MAX_LINES = 80


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(module: str, path: Path) -> set[str]:
    """The collate modules ``module`` imports (``from pkg import sub`` counts as ``pkg.sub``
    where ``sub`` is a module)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
            and _is_type_checking(node) for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each as a cycle path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_sees_known_edges() -> None:
    assert "collate.model" in GRAPH["collate.reader"]
    assert "collate.render.leiden" in GRAPH["collate.render.html"]  # from collate.render import
    assert "collate.edition" not in GRAPH["collate.render"]  # only under TYPE_CHECKING


def test_no_import_cycle() -> None:
    cycles = _cycles(GRAPH)
    described = ["; ".join(f"{m} imports {', '.join(sorted(GRAPH[m] & set(c)))}" for m in c)
                 for c in cycles]
    assert not cycles, "import cycles among collate modules:\n" + "\n".join(described)


def test_edition_imports_no_renderer() -> None:
    assert not {m for m in GRAPH["collate.edition"] if m.startswith("collate.render")}


def _long_functions() -> list[str]:
    out = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lines = (node.end_lineno or node.lineno) - first + 1
                if lines > MAX_LINES:
                    out.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} "
                               f"{module}.{node.name}: {lines} lines")
    return sorted(out)


def test_no_function_over_80_lines() -> None:
    long = _long_functions()
    assert not long, f"functions over {MAX_LINES} lines (docstring included):\n" + "\n".join(long)


def test_every_module_has_a_line_in_the_readme() -> None:
    """README's "Where things live" gives every module a line of its own."""
    readme = (PACKAGE.parent / "README.md").read_text("utf-8")
    section = readme.split("## Where things live", 1)[1].split("\n## ", 1)[0]
    missing = []
    for path in MODULES.values():
        rel = path.relative_to(PACKAGE.parent).as_posix()
        if f"- `{rel}`" not in section:
            missing.append(rel)
    assert not missing, f"modules missing from README's Where things live: {missing}"


def test_package_metadata_installs_without_deprecation_warnings() -> None:
    """``project.license`` as an SPDX string (a table warns on every install since setuptools
    77), with a build backend recent enough to read it."""
    import tomllib

    meta = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text("utf-8"))
    assert meta["project"]["license"] == "MIT"
    assert "setuptools>=77" in meta["build-system"]["requires"]
