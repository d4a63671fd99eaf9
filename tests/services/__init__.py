"""Tests of zoomtui.services (see tests/__init__.py)."""
