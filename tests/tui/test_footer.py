"""The one-widget footer: where its keys are, and a click or the mouse over a key."""

from __future__ import annotations

from zoomtui.services.context import AppContext
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.help import HelpScreen
from zoomtui.tui.widgets.footer import QuickFooter

from .conftest import SIZE


async def test_the_footer_line_is_its_items_in_textuals_compact_places(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(QuickFooter)
        line = footer.render_line(0).text
        assert line.rstrip() == (
            "/ Search f Filter d Deact. s Sort e Export  1234567 Screens f1 Help p Profile"
        )
        for item in footer.items():  # each drawn where it says
            text = item.description if item.label else item.display
            assert line[item.x : item.x + len(text)] == text


async def test_a_click_on_a_key_presses_it_and_the_mouse_over_one_names_it(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(QuickFooter)
        keys = {item.key: item for item in footer.items()}
        await pilot.hover(QuickFooter, offset=(keys["3"].x, 0))
        assert footer.tooltip == "Switch to the Diff screen."  # a grouped key has no words
        await pilot.hover(QuickFooter, offset=(keys["s"].x + keys["s"].width, 0))
        assert footer.tooltip is None  # between keys
        await pilot.click(QuickFooter, offset=(keys["f1"].x + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(QuickFooter, offset=(keys["4"].x, 0))
        await pilot.pause()
        assert app.current_mode == "seats"


async def test_the_tooltip_goes_with_the_keys_and_the_palette_edge_shows_in_16_colours(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(QuickFooter)
        keys = {item.key: item for item in footer.items()}
        await pilot.hover(QuickFooter, offset=(keys["e"].x, 0))
        assert footer.tooltip
        app.screen.query_one("#search").focus()  # the Users keys give way to the field's
        await pilot.pause()
        assert footer.tooltip is None
        edge = footer.get_component_rich_style("footer-key--edge").color
        app.add_class("-sixteen-colours")
        await pilot.pause()
        assert footer.get_component_rich_style("footer-key--edge").color != edge
