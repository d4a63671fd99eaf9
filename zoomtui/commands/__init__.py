"""Headless subcommands; each module registers one or a few click commands."""
