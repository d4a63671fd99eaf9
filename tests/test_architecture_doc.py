"""docs/architecture.md keeps itself true: the files, modules and functions it names exist.

Like sqlite-utils checks its CLI reference against the code: a doc that names a file that
moved, or a function that was renamed, fails here rather than misleading the next reader.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text()
PACKAGE = ROOT / "zoomtui"

PATHS = sorted(set(re.findall(r"`((?:[\w.]+/)+[\w.]*)`", DOC)))  # `services/runs.py`, `screens/`
FILES = sorted(set(re.findall(r"`(\w+\.py)`", DOC)))  # `handler.py`
MODULES = sorted(set(re.findall(r"`(zoomtui(?:\.\w+)+)`", DOC)))
# "`services/runs.py`: `list_runs(ctx)`" and "`zoomtui/text.py` … `safe_text(value, …)`":
# a function named right after its module, on the same line.
NAMED = sorted(set(re.findall(r"`((?:\w+/)*\w+)\.py`:? `(\w+)\(", DOC)))
LAYER_BLOCK = DOC.split("## Layers", 1)[1].split("```")[1]


def _module_of(path: str) -> str:
    """``services/runs`` or ``zoomtui/services/runs`` or a bare ``handler`` (found by name)."""
    path = path.removeprefix("zoomtui/")
    if "/" not in path and not (PACKAGE / f"{path}.py").exists():
        (found,) = PACKAGE.rglob(f"{path}.py")  # a bare name must be unambiguous
        path = str(found.relative_to(PACKAGE).with_suffix(""))
    return "zoomtui." + path.replace("/", ".")


def _exists(path: str) -> bool:
    candidates = [ROOT / path, PACKAGE / path]
    candidates += [PACKAGE / sub / path for sub in ("tui", "emulator", "services", "store")]
    return any(candidate.exists() for candidate in candidates)


def test_the_doc_names_things_at_all() -> None:
    assert len(PATHS) > 30 and len(MODULES) >= 3 and len(NAMED) >= 8


@pytest.mark.parametrize("path", PATHS)
def test_named_paths_exist(path: str) -> None:
    assert _exists(path), f"docs/architecture.md names {path}, which is not in the repository"


@pytest.mark.parametrize("name", FILES)
def test_named_files_exist_somewhere(name: str) -> None:
    assert list(PACKAGE.rglob(name)) or list(ROOT.glob(f"*/{name}")), name


@pytest.mark.parametrize("dotted", MODULES)
def test_named_modules_import(dotted: str) -> None:
    """``zoomtui.services`` imports; ``zoomtui.clock.Clock`` is an attribute of a module."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return
    pytest.fail(f"{dotted} does not import")


@pytest.mark.parametrize(("path", "function"), NAMED)
def test_named_functions_exist(path: str, function: str) -> None:
    module = importlib.import_module(_module_of(path))
    assert hasattr(module, function), f"{path}.py has no {function} (docs/architecture.md)"


def test_layers_are_the_packages() -> None:
    """The layer diagram names real modules and packages, and no package is missing from it."""
    named = set(re.findall(r"([\w]+)(?:\.py|/)", LAYER_BLOCK))
    for name in named:
        assert (PACKAGE / f"{name}.py").exists() or (PACKAGE / name).is_dir(), name
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    missing = (packages | modules) - named
    assert not missing, f"missing from the layer diagram: {sorted(missing)}"
