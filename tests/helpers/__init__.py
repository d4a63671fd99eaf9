"""Helpers shared between test directories (fake Zoom answers, emulated worlds, subprocesses).

They live here, imported as ``tests.helpers.<module>``, rather than beside one directory's
tests and reached through ``sys.path``.
"""
