"""Tests of the embedded history (zoomtui.store)."""
