"""Pure optimisation engine for cluster formation (no Django imports)."""

from .model import Infeasible
from .problem import Problem
from .solver import Result, solve

__all__ = ["Infeasible", "Problem", "Result", "solve"]
