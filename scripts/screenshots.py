"""Regenerate ``screenshots/`` from the scenes the snapshot tests draw (never edit them by hand).

Usage: ``python scripts/screenshots.py [--out screenshots]``. The scenes (which screen, which
keys, which size) are declared once in ``tests/helpers/scenes.py``; ``tests/tui/test_scenes.py``
checks each picture against its snapshot, so a picture that drifts fails the tests. The demo
runs in a temporary directory (config and database): the real settings and history are never
touched.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a script, not a package: reach tests/helpers from the checkout


def take(out: Path, work: Path) -> list[Path]:
    """Build the demo history once, then draw each scene into ``out`` as an SVG."""
    from tests.helpers.scenes import SCENES, build_demo, normalize_svg, render

    demo_db = work / "demo.db"
    build_demo(demo_db)
    written = []
    for scene in SCENES:
        if scene.screenshot:
            path = out / f"{scene.name}.svg"
            path.write_text(normalize_svg(render(scene, work, demo_db)))
            written.append(path)
    return written


def main() -> None:
    logging.getLogger("zoomtui").addHandler(logging.NullHandler())  # retries are not news here
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zoomtui-shots-") as tmp:
        work = Path(tmp)
        os.environ["ZOOMTUI_CONFIG"] = str(work / "config.toml")
        os.environ["ZOOMTUI_DB"] = str(work / "history.db")
        os.environ["HOME"] = str(work)
        os.environ["XDG_DATA_HOME"] = str(work / ".local" / "share")
        for name in [n for n in os.environ if n.startswith("ZOOM_")]:
            del os.environ[name]
        for path in take(args.out, work):
            print(path)


if __name__ == "__main__":
    main()
