"""Layering: floors imported downwards only, no cycles, and the headless core never imports Textual.

Why a test: the CLI must start fast and run from cron without a terminal, and
the layers are what let the TUI and the CLI share one core; an accidental
import would quietly undo both.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "zoomtui"
HEADLESS = (
    "zoom",
    "emulator",
    "store",
    "services",
    "commands",
    "settings",
    "paths",
    "clock",
    "licences",
    "errors",
    "filters",
    "intervals",
    "regions",
)
TUI = ("textual", "zoomtui.tui")
# Ground floor first: a module may import its own floor or the floors below, never above.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("__init__", "binding_ids", "clock", "errors", "filters", "intervals", "licences", "paths",
     "regions", "settings", "settings_values", "text"),
    ("zoom", "store", "emulator"),
    ("services",),
    ("commands", "tui"),
    ("cli", "__main__"),
)  # fmt: skip


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, *, is_package: bool, top_level_only: bool) -> set[str]:
    """Absolute names of every module imported (``from a import b`` gives ``a`` and ``a.b``)."""
    tree = ast.parse(source)
    if top_level_only:  # module scope, including if/try blocks, but not function bodies
        nodes = [n for stmt in tree.body for n in _module_scope(stmt)]
    else:
        nodes = list(ast.walk(tree))
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def _module_scope(node: ast.stmt) -> list[ast.AST]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return []
    out: list[ast.AST] = [node]
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.stmt):
            out.extend(_module_scope(child))
    return out


def hits(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def imports_of(path: Path, *, top_level_only: bool = False) -> set[str]:
    return imports(
        path.read_text(encoding="utf-8"),
        module_name(path),
        is_package=path.name == "__init__.py",
        top_level_only=top_level_only,
    )


def layer(path: Path) -> str:
    return module_name(path).split(".")[1] if module_name(path) != "zoomtui" else "__init__"


def test_the_scan_sees_the_package() -> None:
    names = {module_name(p) for p in package_files()}
    assert {"zoomtui.settings", "zoomtui.cli", "zoomtui.commands.config"} <= names


def test_the_import_reader_resolves_every_form() -> None:
    source = textwrap.dedent(
        """
        import textual.app
        from ..tui import widgets
        from . import store
        from zoomtui.zoom.client import ZoomClient
        def later():
            import zoomtui.tui.app
        """
    )
    found = imports(source, "zoomtui.services.x", is_package=False, top_level_only=False)
    assert hits(found, TUI) == [
        "textual.app",
        "zoomtui.tui",
        "zoomtui.tui.app",
        "zoomtui.tui.widgets",
    ]
    assert "zoomtui.services.store" in found
    assert "zoomtui.zoom.client.ZoomClient" in found
    top = imports(source, "zoomtui.services.x", is_package=False, top_level_only=True)
    assert "zoomtui.tui.app" not in top


@pytest.mark.parametrize("path", package_files(), ids=lambda p: module_name(p))
def test_layers(path: Path) -> None:
    part = layer(path)
    if part in HEADLESS or part == "__init__" or part == "__main__":
        assert hits(imports_of(path), TUI) == [], "the headless core must not import Textual"
    if part == "cli":
        # bare `zoomtui` opens the TUI through a lazy import inside a function
        assert hits(imports_of(path, top_level_only=True), TUI) == []
    if part == "zoom":
        assert hits(imports_of(path), ("zoomtui.store",)) == []
    if part == "store":
        assert hits(imports_of(path), ("zoomtui.zoom",)) == []
    if module_name(path).startswith("zoomtui.tui.widgets"):
        forbidden = ("zoomtui.zoom", "zoomtui.store", "zoomtui.services")
        assert hits(imports_of(path), forbidden) == [], "widgets render what they are given"


def floor(name: str) -> int | None:
    """The layer index of a ``zoomtui`` module name, None outside the package."""
    parts = name.split(".")
    if parts[0] != "zoomtui":
        return None
    part = parts[1] if len(parts) > 1 else "__init__"
    for index, names in enumerate(LAYERS):
        if part in names:
            return index
    return -1  # a module of a part named nowhere: the test below says so


def test_every_part_of_the_package_has_a_floor() -> None:
    assert sorted({layer(p) for p in package_files()} - {n for f in LAYERS for n in f}) == []


@pytest.mark.parametrize("path", package_files(), ids=lambda p: module_name(p))
def test_imports_go_down_the_floors(path: Path) -> None:
    own = floor(module_name(path))
    assert own is not None
    upward = sorted(
        name
        for name in imports_of(path)
        if (level := floor(name)) is not None and level > own and _is_module(name)
    )
    assert upward == [], f"{module_name(path)} (floor {own}) imports from a floor above it"


def _is_module(name: str) -> bool:
    """``from a import b`` also yields ``a.b``; keep only names that are modules or packages."""
    relative = Path(*name.split(".")[1:])
    base = PACKAGE / relative
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def runtime_imports(path: Path) -> set[str]:
    """Modules imported when the code runs: everything but ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = [ast.Pass()]
    found = imports(
        ast.unparse(tree),
        module_name(path),
        is_package=path.name == "__init__.py",
        top_level_only=False,
    )
    return {n for n in found if n.startswith("zoomtui.") and _is_module(n)}


def test_no_import_cycles_within_a_package() -> None:
    """Within each package (zoom, store, emulator, services, commands, tui, ground) no cycle.

    A cycle means neither module can be understood, tested or changed without the
    other; lazy imports inside functions count, since they only hide the cycle.
    """
    graph: dict[str, set[str]] = {}
    for path in package_files():
        name = module_name(path)
        package = name.rsplit(".", 1)[0] if path.name != "__init__.py" else name
        graph[name] = {
            n for n in runtime_imports(path) if n.rsplit(".", 1)[0] == package and n != name
        }
    cycles = set()
    for start in graph:
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    cycles.add(frozenset(trail))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert sorted(sorted(c) for c in cycles) == []


def test_importing_the_cli_never_loads_textual() -> None:
    code = (
        "import sys, zoomtui.cli\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
        "from zoomtui.commands import registry\n"
        "registry.commands()\n"
        "assert 'textual' not in sys.modules, 'a command imported textual'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr


def test_a_headless_command_runs_without_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from zoomtui.cli import main\n"
        "try:\n"
        "    main(['config', 'path'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "assert 'textual' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "config.toml")
