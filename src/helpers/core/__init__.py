"""Core: what every stage shares – errors, Swedish formatting, missing values, text made visible and
literal, safe file moves, the run lock and the last-resort handler.

Imports nothing from the rest of the package (the import contract in pyproject.toml keeps it so).
"""
