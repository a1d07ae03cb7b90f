"""The architecture's contracts, read from the imports of src/coverwatch (design.md, "Layers").

Every `import` counts, at module level or inside a function (a lazy import is still an arrow),
except those under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "coverwatch"
# The layers' bottom: what every domain may use, and which uses no domain.
CORE = {
    "coverwatch",
    "coverwatch.clock",
    "coverwatch.db",
    "coverwatch.errors",
    "coverwatch.events",
    "coverwatch.jobs",
    "coverwatch.logs",
    "coverwatch.pagination",
    "coverwatch.settings",
    "coverwatch.storage",
    "coverwatch.email_addresses",
    "coverwatch.signed_tokens",
}
# The top: pages, commands and the processes, which nothing below may import.
TOP = ("coverwatch.web", "coverwatch.cli", "coverwatch.commands", "coverwatch.app")
TOP_USERS = ("coverwatch.web", "coverwatch.cli", "coverwatch.app", "coverwatch.server")
# Pure logic: reading certificates and judging them. No database, no network, no domain.
PURE = ("coverwatch.parsing",)
PURE_REQUIREMENTS = (
    "context",
    "endorsements",
    "engine",
    "evidence",
    "insurers",
    "limits",
    "lines",
    "messages",
    "names",
    "packs",
    "period",
    "rating_scale",
    "ratings",
    "schemas",
)
# What pure code may import besides itself: the certificate contract it reads and writes.
PURE_MAY_USE = {"coverwatch.certificates.schemas", "coverwatch.clock", "coverwatch.errors"}
FOREIGN_IMPURE = ("sqlalchemy", "httpx", "huey", "fastapi", "redis", "psycopg", "smtplib")
MAX_LINES = 400


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (migrations aside)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        name = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


@cache
def imports_of(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the package's modules that `name` imports, the foreign top-level packages it imports)."""
    tree = ast.parse(modules()[name].read_text())
    ours, foreign = set(), set()
    for node in _imports(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level or not node.module:
                continue
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
            targets = [t if t in modules() else node.module for t in targets]
        else:
            targets = [alias.name for alias in node.names]
        for target in targets:
            if target.split(".")[0] == "coverwatch":
                if target in modules() and target != name:
                    ours.add(target)
            else:
                foreign.add(target.split(".")[0])
    return frozenset(ours), frozenset(foreign)


def _within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _is_pure(name: str) -> bool:
    if _within(name, *PURE):
        return True
    return any(name == f"coverwatch.requirements.{m}" for m in PURE_REQUIREMENTS)


def test_no_module_imports_itself_back_through_others() -> None:
    graph = {name: imports_of(name)[0] for name in modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    assert circles == [], "modules that import each other: " + "; ".join(map(str, circles))


def test_the_core_uses_no_domain_and_nothing_below_the_top_uses_the_top() -> None:
    wrong = []
    for name in modules():
        ours, _ = imports_of(name)
        if name in CORE:
            wrong += [f"{name} -> {o}" for o in ours if o not in CORE]
        if not _within(name, *TOP_USERS, "coverwatch.commands") and not name.endswith(".cli"):
            wrong += [f"{name} -> {o}" for o in ours if _within(o, *TOP)]
    assert wrong == []


def test_pure_logic_uses_no_database_network_or_domain() -> None:
    wrong = []
    for name in modules():
        if not _is_pure(name):
            continue
        ours, foreign = imports_of(name)
        wrong += [f"{name} -> {o}" for o in ours if not _is_pure(o) and o not in PURE_MAY_USE]
        wrong += [f"{name} -> {f}" for f in foreign if f in FOREIGN_IMPURE]
    assert wrong == []


def test_services_never_import_jobs_and_the_integration_never_imports_the_fake() -> None:
    wrong = []
    for name in modules():
        ours, _ = imports_of(name)
        if name.endswith(".service"):
            wrong += [f"{name} -> {o}" for o in ours if o.endswith(".tasks")]
        if _within(name, "coverwatch.procore"):
            wrong += [f"{name} -> {o}" for o in ours if _within(o, "coverwatch.sandbox")]
    assert wrong == []


def test_modules_stay_small_and_packages_say_what_they_are_for() -> None:
    long = [
        f"{name} ({lines} lines)"
        for name, path in modules().items()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert long == [], f"over {MAX_LINES} lines: {long}"
    silent = [
        name
        for name, path in modules().items()
        if path.name == "__init__.py" and not ast.get_docstring(ast.parse(path.read_text()))
    ]
    assert silent == [], f"packages without a docstring: {silent}"
