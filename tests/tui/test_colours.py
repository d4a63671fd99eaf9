"""16-colour terminals: fields, focus and buttons keep colours of their own (issue 13 item 7).

The pictures are the ``*-16`` scenes of ``test_scenes.py``; these check the switch itself.
"""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from textual import constants
from textual.widgets import Input, Label

from zoomtui.services.context import AppContext
from zoomtui.tui.app import create_app

from .conftest import SIZE


@pytest.mark.parametrize(
    ("system", "few"), [("standard", True), ("256", False), ("truecolor", False)]
)
def test_sixteen_colours_only_on_a_16_colour_terminal(
    empty_ctx: AppContext, monkeypatch: pytest.MonkeyPatch, system: str, few: bool
) -> None:
    monkeypatch.setattr(constants, "COLOR_SYSTEM", system)
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    assert app.has_class("-sixteen-colours") is few


async def test_fields_and_focus_stand_apart_in_16_colours(
    empty_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        fields = list(screen.query(Input))
        focused = app.focused
        assert isinstance(focused, Input)
        other = next(field for field in fields if field is not focused)
        # The colour numbers a 16-colour terminal gets (Rich's downgrade), not the RGB values.
        shown = {
            name: colour.rich_color.downgrade(ColorSystem.STANDARD).number
            for name, colour in (
                ("label", screen.query(Label).first().background_colors[1]),
                ("field", other.background_colors[1]),
                ("focused", focused.background_colors[1]),
            )
        }
        assert len(set(shown.values())) == 3, shown
