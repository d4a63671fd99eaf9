"""Regenerate ``zoomtui/binding_ids.py`` and the README's keymap table from the action table."""

from __future__ import annotations

from pathlib import Path

from zoomtui.tui.keymap_docs import write

if __name__ == "__main__":
    for path in write(Path(__file__).resolve().parents[1]):
        print(f"wrote {path}")
