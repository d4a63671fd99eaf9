"""zoomtui: audit a Zoom account's licenses and login activity from the terminal."""

__version__ = "0.1.0"
