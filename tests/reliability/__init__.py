"""Tests that drive the reliability of the whole program (faults, hostile input, interruption)."""
