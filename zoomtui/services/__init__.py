"""The headless core shared by the CLI and the TUI; nothing here imports Textual.

Why: one execution core means the cron job and the screen compute the same
answers; keep this package import light (no submodule imports here).
"""
