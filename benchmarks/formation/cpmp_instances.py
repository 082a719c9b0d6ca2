"""Reader for the capacitated p-median (CPMP) instances in ``shared/data/cpmp``.

Format (see ``SOURCE.md`` there): first ``n p``, then per site ``x y Q q``. Every
instance here has a single capacity ``Q``. Distances: OR-Library (cpmp01..20) uses the
floor of the Euclidean distance, spain737 a matrix file, everything else plain
Euclidean distance.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from common import CPMP_DIR

INSTANCES = CPMP_DIR / "instances"

ORLIB = [f"cpmp{i:02d}" for i in range(1, 21)]
SJC = ["SJC1", "SJC2", "SJC3a", "SJC3b", "SJC4a", "SJC4b"]
P3038 = [f"p3038_{p}" for p in (600, 700, 800, 900, 1000)]
PR2392 = [f"pr2392_{p:03d}" for p in (20, 75, 150, 300, 500)]
FNL4461 = [f"fnl4461_{p:04d}" for p in (20, 100, 250, 500, 1000)]


@dataclass
class Instance:
    name: str
    xy: np.ndarray  # (n, 2)
    capacity: float
    demand: np.ndarray  # (n,)
    p: int
    convention: str  # "floor" | "euclidean" | "matrix"
    matrix: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.xy)


def path_of(name: str) -> Path:
    if name.startswith("cpmp"):
        return INSTANCES / "orlib" / f"{name}.txt"
    if name.startswith("SJC"):
        return INSTANCES / "sjc" / f"{name}.dat"
    if name.startswith("p3038"):
        return INSTANCES / "p3038" / f"{name}.dat"
    if name.startswith("spain737"):
        return INSTANCES / "spain737" / f"{name}.txt"
    return INSTANCES / "tsplib" / f"{name}.txt"


def parse(text: str) -> tuple[int, int, np.ndarray]:
    """(n, p, rows) where rows is (n, 4): x, y, Q, q. Tolerates CR-only line endings."""
    tokens = text.split()
    n, p = int(tokens[0]), int(tokens[1])
    values = np.array(tokens[2 : 2 + 4 * n], dtype=float)
    if values.size != 4 * n:
        raise ValueError(f"expected {4 * n} numbers after the header, found {values.size}")
    return n, p, values.reshape(n, 4)


def load(name: str) -> Instance:
    n, p, rows = parse(path_of(name).read_text())
    caps = np.unique(rows[:, 2])
    if len(caps) != 1:
        raise ValueError(f"{name}: expected one capacity for all sites, found {caps[:5]}")
    matrix = None
    if name.startswith("cpmp"):
        convention = "floor"
    elif name.startswith("spain737"):
        convention = "matrix"
        grd = np.loadtxt(INSTANCES / "spain737" / "spain737.grd")
        matrix = grd.reshape(n, n)
    else:
        convention = "euclidean"
    return Instance(
        name, rows[:, :2].copy(), float(caps[0]), rows[:, 3].copy(), p, convention, matrix
    )


@cache
def best_known() -> dict[str, dict]:
    """Rows of ``best_known.csv`` by instance name (bks, bks_status, …)."""
    with open(CPMP_DIR / "best_known.csv", newline="") as f:
        return {row["instance"]: row for row in csv.DictReader(f)}
