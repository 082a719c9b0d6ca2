"""Cluster formation. Importing this package loads only the pure engine (no Django)."""

from .engine import Problem, Result, solve

__all__ = ["Problem", "Result", "solve"]
