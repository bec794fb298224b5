"""Core: what every stage shares – errors, Swedish formatting, missing values, safe file moves.

Imports nothing from the rest of the package (the import contract in pyproject.toml keeps it so).
"""
