"""Zoom's clouds: each region's REST API base and OAuth token endpoint, declared once.

On the ground floor so that settings (which resolve a region to its URLs), the
Zoom client (which checks a token's ``api_url`` against them) and the
connection form (which offers them) all read the same table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A Zoom cloud: its REST API base and its OAuth token endpoint."""

    name: str
    label: str
    api_url: str
    oauth_url: str


REGIONS: dict[str, Region] = {
    "global": Region(
        "global", "Global (zoom.us)", "https://api.zoom.us/v2", "https://zoom.us/oauth/token"
    ),
    "gov": Region(
        "gov",
        "Zoom for Government",
        "https://api.zoomgov.com/v2",
        "https://zoomgov.com/oauth/token",
    ),
}
CUSTOM = "custom"  # the operator's own api_url / oauth_url (e.g. an emulator)
CUSTOM_LABEL = "Custom URLs"
REGION_NAMES = (*REGIONS, CUSTOM)
