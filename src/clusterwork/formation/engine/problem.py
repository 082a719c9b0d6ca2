"""Problem definition and input validation."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .metric import Metric

DEFAULT_TARGET_SIZE = 5


class Problem:
    """A clustering / capacitated p-median problem over ``n`` sites.

    Every cluster has a *hub*, which is one of its member sites. The objective is the
    total distance from every site to its cluster's hub (the capacitated p-median
    objective, not demand-weighted unless ``weighted=True``). Constraints:

    ``xy``
        (n, 2) coordinates in metres (or any planar unit). NaN/inf coordinates raise
        ``ValueError``. Co-located sites are allowed (at distance 0 from each other):
        published instances (OR-Library cpmp11, SJC2–4b) and real schools sharing a site
        have them. ``allow_duplicates=False`` refuses them, for callers whose sites must
        be distinct.
    ``min_size`` / ``max_size``
        Bounds on the number of *sites* in every cluster (default 1 and unbounded).
    ``demand`` / ``capacity``
        Per-site demand ``q_i >= 0`` and a cap ``Q``: the total demand of every
        cluster must be ``<= Q`` (the CPMP capacity constraint). May be combined with
        the count bounds. Demand defaults to 1 per site.
    ``n_clusters``
        Fixed number of clusters ``k``. ``None`` chooses ``k`` as the value closest to
        ``n / target_size`` (``target_size`` default 5, sensible for school clusters)
        within the range the count bounds, the capacity (``k >= total demand / Q``),
        the flagged sites and the locked clusters allow. More clusters always lower
        the distance objective, so ``k`` is fixed before optimisation rather than
        optimised.
    ``distance``
        "euclidean", "floor" (floor of the Euclidean distance per site, the
        OR-Library convention) or an explicit (n, n) non-negative matrix (small n).
    ``must_link``
        Iterable of groups (iterables of site indices); each group ends up in one
        cluster. Overlapping groups are merged.
    ``cannot_link``
        Iterable of pairs ``(a, b)``: ``a`` and ``b`` must be in different clusters.
    ``need_flag``
        Boolean array of length n; every cluster must contain at least one flagged
        site (e.g. a secondary school).
    ``max_distance``
        Every site must be within this distance of its cluster's hub.
    ``locked``
        Integer array of length n, ``-1`` = free. Sites with the same label ``>= 0``
        form an existing cluster that is kept: they stay together and sites with
        different locked labels never share a cluster. Free sites may join a locked
        cluster when the bounds allow; the hub of a locked cluster may change. In the
        result, the cluster holding locked label ``L`` is numbered ``L`` when all
        locked labels are ``< k``.
    ``current_labels`` / ``move_cost``
        Incremental mode. ``current_labels`` (length n, ``-1`` = new site) is the
        present clustering. A site *stays* if its new hub currently has the same
        label as the site itself; every other site with a current label ``>= 0`` is
        *moved* and costs ``move_cost`` (in distance units) in the optimised cost
        ``objective + move_cost * moves``. ``result.objective`` still reports the
        plain distance sum; ``result.moves`` the number of moved sites. With a large
        ``move_cost`` existing clusters are kept intact and new sites are placed with
        the fewest moves. Result clusters are numbered with the current label of
        their hub where that is unambiguous.
    ``weighted``
        Optimise the demand-weighted distance ``sum q_i d(i, hub)`` instead
        (``result.objective`` still reports the unweighted sum).
    """

    def __init__(
        self,
        xy,
        min_size: int | None = None,
        max_size: int | None = None,
        demand=None,
        capacity: float | None = None,
        n_clusters: int | None = None,
        distance="euclidean",
        must_link: Sequence[Sequence[int]] | None = None,
        cannot_link: Sequence[Sequence[int]] | None = None,
        need_flag=None,
        max_distance: float | None = None,
        locked=None,
        move_cost: float = 0.0,
        *,
        current_labels=None,
        target_size: float = DEFAULT_TARGET_SIZE,
        weighted: bool = False,
        allow_duplicates: bool = True,
    ):
        xy = np.asarray(xy, dtype=float)
        if xy.ndim != 2 or xy.shape[1] != 2:
            raise ValueError(f"xy must have shape (n, 2), got {xy.shape}")
        n = xy.shape[0]
        if n == 0:
            raise ValueError("xy is empty: no sites to cluster")
        bad = ~np.isfinite(xy).all(axis=1)
        if bad.any():
            idx = np.nonzero(bad)[0]
            raise ValueError(
                f"{len(idx)} site(s) have NaN or infinite coordinates (first: site {idx[0]})"
            )
        matrix = None
        if isinstance(distance, str):
            if distance not in ("euclidean", "floor"):
                raise ValueError(
                    f"distance must be 'euclidean', 'floor' or an (n, n) matrix, got {distance!r}"
                )
            kind = distance
        else:
            matrix = np.asarray(distance, dtype=float)
            if matrix.shape != (n, n):
                raise ValueError(f"distance matrix must have shape ({n}, {n}), got {matrix.shape}")
            if not np.isfinite(matrix).all() or (matrix < 0).any():
                raise ValueError("distance matrix must be finite and non-negative")
            if np.any(np.diag(matrix) != 0):
                raise ValueError("distance matrix must have a zero diagonal")
            kind = "matrix"
        if not allow_duplicates and n > 1:
            order = np.lexsort((xy[:, 1], xy[:, 0]))
            s = xy[order]
            same = (s[1:] == s[:-1]).all(axis=1)
            if same.any():
                first = int(np.nonzero(same)[0][0])
                a, b = sorted((int(order[first]), int(order[first + 1])))
                raise ValueError(
                    f"{int(same.sum())} site(s) duplicate another site's coordinates "
                    f"(e.g. sites {a} and {b} at {tuple(xy[a])}); "
                    "pass allow_duplicates=True to accept co-located sites"
                )
        self.xy = xy
        self.n = n
        self.distance = kind
        self.metric = Metric(xy, kind, matrix)

        self.min_size = 1 if min_size is None else _int(min_size, "min_size")
        self.max_size = n if max_size is None else _int(max_size, "max_size")
        if self.min_size < 1:
            raise ValueError("min_size must be >= 1")
        if self.max_size < 1:
            raise ValueError("max_size must be >= 1")
        self.has_count_bounds = min_size is not None or max_size is not None

        if demand is None:
            self.demand = np.ones(n)
            self.has_demand = False
        else:
            self.demand = np.asarray(demand, dtype=float).reshape(-1)
            if self.demand.shape != (n,):
                raise ValueError(f"demand must have length {n}, got {self.demand.shape[0]}")
            if not np.isfinite(self.demand).all() or (self.demand < 0).any():
                raise ValueError("demand must be finite and non-negative")
            self.has_demand = True
        if capacity is not None:
            capacity = float(capacity)
            if not math.isfinite(capacity) or capacity <= 0:
                raise ValueError("capacity must be a positive number")
        self.capacity = capacity
        if n_clusters is not None:
            n_clusters = _int(n_clusters, "n_clusters")
            if n_clusters < 1:
                raise ValueError("n_clusters must be >= 1")
        self.n_clusters = n_clusters
        if not target_size or target_size <= 0:
            raise ValueError("target_size must be positive")
        self.target_size = float(target_size)
        self.weighted = bool(weighted)

        self.must_link = [sorted({_site(s, n, "must_link") for s in g}) for g in (must_link or [])]
        self.cannot_link = []
        for pair in cannot_link or []:
            pair = list(pair)
            if len(pair) != 2:
                raise ValueError(f"cannot_link entries must be pairs, got {pair!r}")
            a, b = (_site(s, n, "cannot_link") for s in pair)
            if a == b:
                raise ValueError(f"cannot_link pair ({a}, {b}) names the same site twice")
            self.cannot_link.append((min(a, b), max(a, b)))
        self.cannot_link = sorted(set(self.cannot_link))

        if need_flag is None:
            self.need_flag = None
        else:
            f = np.asarray(need_flag)
            if f.shape != (n,):
                raise ValueError(f"need_flag must have length {n}, got shape {f.shape}")
            self.need_flag = f.astype(bool)

        if max_distance is not None:
            max_distance = float(max_distance)
            if not (max_distance >= 0):
                raise ValueError("max_distance must be >= 0")
        self.max_distance = max_distance

        self.locked = _labels(locked, n, "locked")
        self.current_labels = _labels(current_labels, n, "current_labels")
        self.move_cost = float(move_cost or 0.0)
        if not math.isfinite(self.move_cost) or self.move_cost < 0:
            raise ValueError("move_cost must be a non-negative number")
        if self.move_cost > 0 and self.current_labels is None:
            # "locked" is the natural current state when no separate one is given
            self.current_labels = self.locked

    # convenience -------------------------------------------------------------------
    def dist(self, i, j):
        return self.metric.pair(i, j)

    @property
    def simple(self) -> bool:
        """True when only count bounds / capacity / max_distance apply (fast paths)."""
        return (
            not self.must_link
            and not self.cannot_link
            and self.need_flag is None
            and self.locked is None
            and (self.current_labels is None or self.move_cost == 0)
        )

    def __repr__(self) -> str:
        return (
            f"Problem(n={self.n}, k={self.n_clusters}, size=[{self.min_size}, {self.max_size}], "
            f"capacity={self.capacity}, distance={self.distance!r})"
        )


def _int(v, name):
    if isinstance(v, bool) or int(v) != v:
        raise ValueError(f"{name} must be an integer, got {v!r}")
    return int(v)


def _site(s, n, what):
    if isinstance(s, bool) or int(s) != s or not 0 <= int(s) < n:
        raise ValueError(f"{what}: {s!r} is not a site index in 0..{n - 1}")
    return int(s)


def _labels(v, n, name):
    if v is None:
        return None
    a = np.asarray(v)
    if a.shape != (n,):
        raise ValueError(f"{name} must have length {n}, got shape {a.shape}")
    if not np.issubdtype(a.dtype, np.integer) and (
        not np.all(np.isfinite(a)) or np.any(a != np.round(a))
    ):
        raise ValueError(f"{name} must contain integers (-1 = none)")
    a = a.astype(np.int64)
    if (a < -1).any():
        raise ValueError(f"{name} labels must be >= -1 (-1 = none)")
    return a
