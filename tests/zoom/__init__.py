"""Tests of zoomtui.zoom (see tests/__init__.py)."""
