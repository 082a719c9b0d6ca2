"""Distance oracle. Coordinates: a dense n x n cache only for n <= DENSE_MAX (2500, 50 MB);
above that distances are computed on demand and neighbours come from a cKDTree."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

DENSE_MAX = 2500


class Metric:
    """Distances between sites, by index.

    ``kind`` is "euclidean", "floor" (floor of the Euclidean distance, the OR-Library
    convention) or "matrix" (an explicit (n, n) array, for small instances only).
    """

    def __init__(self, xy: np.ndarray, kind: str, matrix: np.ndarray | None = None):
        self.xy = xy
        self.kind = kind
        self.matrix = matrix
        self.n = len(xy) if matrix is None else matrix.shape[0]
        self._tree = None if matrix is not None else cKDTree(xy)
        # small instances: a dense cache is much faster than recomputing (n <= 3500 -> <100 MB)
        self.dense = None
        if matrix is None and self.n <= DENSE_MAX:
            diff = xy[:, None, :] - xy[None, :, :]
            d = np.sqrt((diff * diff).sum(axis=-1))
            del diff
            if kind == "floor":
                d = np.floor(d + 1e-9)
            self.dense = d

    def pair(self, i, j) -> np.ndarray:
        """Elementwise distance d(i[k], j[k]) (broadcasting)."""
        i = np.asarray(i)
        j = np.asarray(j)
        if self.dense is not None:
            return self.dense[i, j]
        if self.matrix is not None:
            return self.matrix[i, j].astype(float)
        diff = self.xy[i] - self.xy[j]
        d = np.sqrt((diff * diff).sum(axis=-1))
        if self.kind == "floor":
            d = np.floor(d + 1e-9)
        return d

    def block(self, rows, cols) -> np.ndarray:
        """Dense distance block d(rows x cols)."""
        rows = np.asarray(rows)
        cols = np.asarray(cols)
        return self.pair(rows[:, None], cols[None, :])

    def knn(self, k: int, points=None) -> tuple[np.ndarray, np.ndarray]:
        """For each site in ``points`` (default all): its k nearest sites (itself first)."""
        k = min(k, self.n)
        pts = np.arange(self.n) if points is None else np.asarray(points)
        if self.matrix is not None:
            rows = self.matrix[pts]
            idx = np.argsort(rows, axis=1, kind="stable")[:, :k]
            # make sure the site itself comes first (zero distance, ties with duplicates)
            for r, p in enumerate(pts):
                if idx[r, 0] != p:
                    row = [p] + [c for c in idx[r] if c != p]
                    idx[r] = row[:k]
            return idx, self.pair(pts[:, None], idx)
        _, idx = self._tree.query(self.xy[pts], k=k)
        idx = np.asarray(idx).reshape(len(pts), k)
        for r in np.nonzero(idx[:, 0] != pts)[0]:  # duplicates: put self first
            p = pts[r]
            row = [p] + [c for c in idx[r] if c != p]
            idx[r] = row[:k]
        return idx, self.pair(pts[:, None], idx)

    def within(self, radius: float, points=None) -> list[list[int]]:
        """Sites within ``radius`` of each point (for max_distance checks)."""
        pts = np.arange(self.n) if points is None else np.asarray(points)
        if self.matrix is not None:
            return [list(np.nonzero(self.matrix[p] <= radius)[0]) for p in pts]
        return self._tree.query_ball_point(
            self.xy[pts], r=radius + 1.0 if self.kind == "floor" else radius * (1 + 1e-12)
        )
