"""Layering: the headless core never imports Textual, and zoom/store stay apart.

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
)
TUI = ("textual", "zoomtui.tui")


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
