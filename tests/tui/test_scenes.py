"""The scenes of ``tests/helpers/scenes.py`` as snapshots, and ``screenshots/`` held to them.

After an intended change: ``pytest tests/tui/test_scenes.py --snapshot-update``, look at
the report, then ``python scripts/screenshots.py`` (the README's pictures); the second test
fails until both agree, so a stale screenshot cannot reach CI unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.scenes import SCENES, Scene, build_demo, normalize_svg, scene_app

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_scenes"
PICTURES = [scene for scene in SCENES if scene.screenshot]


@pytest.fixture(scope="module")
def scene_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo history, built once (outside any event loop, away from the real dirs)."""
    work = tmp_path_factory.mktemp("scene-demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZOOMTUI_CONFIG", str(work / "config.toml"))
        patch.setenv("HOME", str(work / "home"))
        patch.setenv("XDG_DATA_HOME", str(work / "data"))
        build_demo(work / "demo.db")
    yield work / "demo.db"


@pytest.mark.parametrize("scene", SCENES, ids=[scene.name for scene in SCENES])
def test_scene(snap_compare: Any, scene: Scene, scene_demo: Path, tmp_path: Path) -> None:
    app = scene_app(scene, tmp_path, scene_demo)
    assert snap_compare(app, terminal_size=scene.size, run_before=scene.drive)


@pytest.mark.parametrize("scene", PICTURES, ids=[scene.name for scene in PICTURES])
def test_screenshot_is_its_snapshot(scene: Scene) -> None:
    snapshot = SNAPSHOTS / f"test_scene[{scene.name}].svg"
    shot = SHOTS / f"{scene.name}.svg"
    assert shot.exists(), f"{shot.name} missing: run scripts/screenshots.py"
    assert normalize_svg(shot.read_text()) == normalize_svg(snapshot.read_text()), (
        f"screenshots/{shot.name} differs from its snapshot: run scripts/screenshots.py"
    )


def test_no_stale_screenshot() -> None:
    """Every picture in screenshots/ is a scene (a scene dropped takes its picture along)."""
    assert sorted(path.stem for path in SHOTS.glob("*.svg")) == sorted(s.name for s in PICTURES)
