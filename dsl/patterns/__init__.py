"""Reusable multi-state patterns built from the DSL."""
