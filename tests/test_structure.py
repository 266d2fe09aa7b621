"""The shape of the code, kept true by a test: imports run one way (cloud_elements ← team ← catalog
← instances ← apidocs; dashboard wires them; the sandbox stands apart), every import is at the top
of its module, no private name is imported from another module, and views stay short."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cloud_elements", "team", "catalog", "instances", "apidocs", "dashboard", "sandbox")

# What each app may import of ours, besides itself. `dashboard.htmx` (the request type and error
# answers every view shares) and `dashboard.caches` (dropping our own cache entries) import none of
# the apps; the rest of `dashboard` wires the apps and no app imports it.
ALLOWED = {
    "cloud_elements": set(),
    "team": {"cloud_elements", "dashboard.htmx", "dashboard.caches"},
    "catalog": {"cloud_elements", "team", "dashboard.htmx", "dashboard.caches"},
    "instances": {"cloud_elements", "team", "catalog", "dashboard.htmx", "dashboard.caches"},
    "apidocs": {"cloud_elements", "team", "catalog", "instances", "dashboard.htmx", "dashboard.caches"},
    "dashboard": {"cloud_elements", "team", "catalog", "instances", "apidocs"},
    # The OAuth URL parameters are one sourced table of plain data the sandbox shares (its docstring).
    "sandbox": {"cloud_elements.oauth_parameters"},
}


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def _imports(tree: ast.Module, path: Path):
    """(line, module, names, at the top) for each import of a first-party module."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    top = set(map(id, tree.body))
    # AppConfig.ready() is where Django says signal receivers are imported: it runs once, after
    # every app is loaded, which the top of apps.py is not.
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "ready" and path.name == "apps.py":
            top |= set(map(id, node.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, (), id(node) in top
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            yield node.lineno, module, tuple(a.name for a in node.names), id(node) in top


def _allowed(app: str, module: str) -> bool:
    root = module.split(".")[0]
    return (root not in APPS or root == app
            or any(module == a or module.startswith(a + ".") for a in ALLOWED[app]))


def _problems_in(app: str, path: Path, source: str):
    tree = ast.parse(source, str(path))
    name = path.relative_to(ROOT)
    own = ".".join(name.with_suffix("").parts)
    for line, module, names, at_top in _imports(tree, path):
        if not at_top and module != "__future__":
            yield f"{name}:{line} imports {module} inside a function"
        if not _allowed(app, module):
            yield f"{name}:{line} {app} imports {module}, against the import order"
        for imported in names:
            if imported.startswith("_") and module.split(".")[0] in APPS and module != own:
                yield f"{name}:{line} imports the private {imported} from {module}"


def test_imports_run_one_way_at_the_top_and_use_no_private_name():
    problems = [p for app, path in _modules() for p in _problems_in(app, path, path.read_text())]
    assert problems == []


@pytest.mark.parametrize("source, problem", [
    ("from instances.selectors import Instance\n", "catalog imports instances.selectors"),
    ("def f():\n    from . import selectors\n", "inside a function"),
    ("from .selectors import _hidden\n", "the private _hidden"),
])
def test_the_checks_catch_what_they_are_for(source, problem):
    found = list(_problems_in("catalog", ROOT / "catalog" / "example.py", source))
    assert len(found) == 1 and problem in found[0]


VIEW_LINES_MAX = 40


def _long_views():
    """Views (public functions of a views module whose first argument is the request) over the
    limit, counted from `def` to the last line, docstring included."""
    for _app, path in _modules():
        if not path.name.startswith("views"):
            continue
        for node in ast.parse(path.read_text()).body:
            if (isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
                    and node.args.args and node.args.args[0].arg == "request"):
                lines = node.end_lineno - node.lineno + 1
                if lines > VIEW_LINES_MAX:
                    yield f"{path.relative_to(ROOT)} {node.name}: {lines} lines"


def test_views_are_short():
    assert list(_long_views()) == []
