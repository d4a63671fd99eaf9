"""Tests of zoomtui.emulator (see tests/__init__.py)."""
