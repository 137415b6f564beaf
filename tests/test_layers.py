"""Imports run one way: each layer imports only the layers below it (docs/architecture.md).

From the bottom: the model infrastructure (config.db), the API framework (config.api), the base
records (events), the statements (statements), and the wiring (the rest of config: settings,
URLs, router, middleware, server). The check reads every module's source (an AST walk, so
imports inside functions count too) without importing anything.
"""

import ast
from pathlib import Path

from django.conf import settings

# bottom first; a module belongs to the longest name that starts it
LAYERS = ["config.db", "config.api", "events", "statements", "config"]
PACKAGES = ["config", "events", "statements"]


def layer_of(module: str) -> int | None:
    """The layer a module belongs to, or None for one outside Parley (Django, the stdlib)."""
    matches = [
        (len(name), index)
        for index, name in enumerate(LAYERS)
        if module == name or module.startswith(name + ".")
    ]
    return max(matches)[1] if matches else None


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module an import statement names, with its line: `from a.b import c` names `a.b`
    and `a.b.c` (c may be a module)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.lineno, node.module))
            names += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return names


def back_imports(root: Path) -> list[str]:
    """Each import from a lower layer into a higher one under `root`, as `module:line -> name`."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            importer = module_name(root, path)
            for line, name in imported_names(ast.parse(path.read_text(), str(path))):
                target = layer_of(name)
                if target is not None and target > layer_of(importer):
                    found.append(f"{importer}:{line} -> {name}")
    return sorted(set(found))


def write_module(root: Path, name: str, source: str) -> None:
    path = root.joinpath(*name.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)


def test_layers_import_only_the_layers_below():
    found = back_imports(settings.BASE_DIR)

    assert found == []


def test_layers_check_finds_a_back_import(tmp_path):
    write_module(tmp_path, "config.db.dates", "import datetime\n")
    write_module(tmp_path, "config.api.filters", "from config.db.dates import parse\n")
    write_module(tmp_path, "config.api.writes", "def f():\n    from events.models import Dated\n")
    write_module(tmp_path, "events.models", "from config.api import filters\n")
    write_module(tmp_path, "events.signals", "import statements.models\n")
    write_module(tmp_path, "statements.models", "from events.models import Event\n")
    write_module(tmp_path, "config.urls", "from statements import views\n")

    found = back_imports(tmp_path)

    assert found == [
        "config.api.writes:2 -> events.models",
        "config.api.writes:2 -> events.models.Dated",
        "events.signals:1 -> statements.models",
    ]


def test_layers_wiring_is_the_rest_of_config():
    layers = {name: layer_of(name) for name in ["config.settings", "config.dbx", "config.api"]}

    assert layers == {"config.settings": 4, "config.dbx": 4, "config.api": 1}
