"""Lagrangian lower bound for large CPMP instances (pure NumPy, O(n·K) per iteration).

Relaxing "every site is assigned exactly once" with multipliers ``lam`` separates the
problem per candidate hub ``j``:

    rho_j(lam) = c_jj - lam_j + min { sum_{i in S} (c_ij - lam_i) :
                                       S ⊆ sites - {j},
                                       min_size - 1 <= |S| <= max_size - 1,
                                       q(S) <= Q - q_j }

and ``L(lam) = sum_i lam_i + (sum of the k smallest rho_j)`` is a lower bound for every
``lam`` (exactly k hubs open). Whatever we compute for ``rho_j`` only has to be <= the
true value, so every simplification below is a relaxation:

* flags, locks, cannot-link and the incremental-mode rule "no two hubs from one current
  cluster" are dropped (the move penalty itself stays in the cost ``site_cost``);
  beyond ``max_distance`` a cost is replaced by the plain (weighted) distance, which is
  lower than ``inf``;
* capacity: LP relaxation of the knapsack (fractional, greedy by reduced cost per unit
  of demand) for every hub; for the ~1.5 k hubs with the smallest value whose LP is
  fractional, the exact 0/1 knapsack (all subsets of the few negative members, or a DP
  over the demand, scaled down conservatively when it is not integral or Q > DP_CELLS),
  which is what makes the bound tight on CPMP benchmarks. Hubs not refined keep their
  (lower) LP value, still valid;
* count bounds and capacity together: the larger of the count-only value (exact, by
  sorting) and the capacity-only LP value, each a relaxation of the joint subproblem;
* scale: hub ``j`` only looks at its K nearest sites ``N(j)``. A site ``i`` outside
  ``N(j)`` is at distance >= ``U_i``, the distance from ``i`` to the nearest hub whose
  list misses ``i``. Keeping ``lam_i <= w_i * U_i`` (a projection of the subgradient
  steps: the bound is valid for any ``lam``, we just search a smaller set) makes every
  outside reduced cost >= 0, so outside sites are never worth taking and, when
  ``min_size`` forces members, each forced outside member costs at least
  ``max(0, w_min * r_j - max(lam))`` with ``r_j`` the K-th neighbour distance of ``j``.

The multipliers are improved by subgradient steps (Polyak step towards the caller's
upper bound, step factor halved when the bound stalls) until the deadline.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .model import Model

DENSE_SITES = 400  # up to this many sites every hub sees every site (no outside sites)
DP_CELLS = 1024  # capacity resolution of the exact knapsack (demand scaled down above it)
ENUM_ITEMS = 8  # exact knapsacks with at most this many candidates: enumerate all subsets
MAX_LIST_CELLS = 2_000_000  # cap on n * K for the neighbour lists (memory, per-iteration time)
START_RANK = 0.6  # initial lam_i: distance to the neighbour of rank START_RANK * n / k
START_FACTOR = 1.0  # Polyak step factor, halved after PATIENCE iterations without progress
PATIENCE = 15
MIN_FACTOR = 1e-4
REFINE_HUBS = 1.5  # exact knapsacks for the REFINE_HUBS * k (+32) most promising hubs


def lagrangian_bound(
    model: Model, upper_bound: float, deadline: float, knn: int | None = None
) -> float | None:
    """A valid lower bound on the optimised cost of ``model`` (or None).

    ``upper_bound``: cost of a known feasible solution (steers the step size; any value
    keeps the bound valid). ``deadline``: ``time.perf_counter()`` value at which to stop.
    ``knn``: sites per hub list (default: from the expected cluster size).
    """
    if not model.singletons or model.k < 1 or model.k > model.n:
        return None
    if time.perf_counter() >= deadline:
        return None
    sub = _Subproblems(model, knn)
    if sub.lists is None:
        return None
    return _maximise(sub, model.k, upper_bound, deadline)


class _Subproblems:
    """Per-hub neighbour lists and the pricing of rho_j for given multipliers."""

    def __init__(self, model: Model, knn: int | None):
        self.lists = None
        n = model.n
        self.n = n
        metric = model.metric
        self.site_w = np.ones(n) if model.site_w is None else np.asarray(model.site_w, float)
        self.w_min = float(self.site_w.min())
        dense = (knn is None and n <= DENSE_SITES) or (knn is not None and knn >= n - 1)
        if metric.matrix is not None and not dense:
            # an explicit matrix may be asymmetric: the outside-site argument needs the
            # nearest sites of a hub by column, which knn() does not give; it is small anyway
            if n > 3000:
                return
            dense = True
        if dense:
            K = n - 1
        else:
            K = knn if knn is not None else _default_knn(model)
            K = int(max(1, min(K, n - 1, MAX_LIST_CELLS // n - 1)))
        self.K = K
        if dense:
            hubs = np.arange(n)
            cost = self._cost(model, hubs[None, :], hubs[:, None])  # cost[j, i]: i -> hub j
            # self first, then by cost (ties: the index order of argsort is deterministic)
            cost_self_first = cost.copy()
            cost_self_first[hubs, hubs] = -np.inf
            lists = np.argsort(cost_self_first, axis=1, kind="stable")
            self.cost = np.take_along_axis(cost, lists, axis=1)
            self.r = np.full(n, np.inf)
            self.lam_cap = np.full(n, np.inf)
            self.n_out = 0
            dist = None
        else:
            lists, dist = metric.knn(K + 1)
            self.cost = self._cost(model, lists, np.arange(n)[:, None])
            self.r = dist[:, -1]
            self.lam_cap = self.site_w * _outside_radius(lists, dist)
            self.n_out = n - 1 - K
        self.lists = lists
        self.a = max(0, model.min_size - 1)
        self.b = min(model.max_size - 1, n - 1)
        self.capacity = model.capacity
        if self.capacity is not None:
            q = np.asarray(model.q, float)
            self.q = q[lists[:, 1:]]
            # the engine accepts loads up to Q + 1e-9
            self.room = np.maximum(self.capacity - q, 0.0) + 1e-9 * max(1.0, self.capacity)
            if bool(np.all(q == np.round(q))) and self.capacity <= DP_CELLS:
                q_scaled, room_scaled = q, np.floor(self.room)
            else:
                # rounding weights down and the room up only relaxes the knapsack; the
                # 1e-12 margins absorb the rounding of the products themselves
                scale = DP_CELLS / self.capacity
                q_scaled = np.floor(q * scale * (1 - 1e-12))
                room_scaled = np.floor(self.room * scale * (1 + 1e-12))
            self.q_scaled = q_scaled[lists[:, 1:]].astype(np.int64)
            self.room_scaled = room_scaled.astype(np.int64)
        self.exact_knapsack = self.capacity is not None and self.a == 0 and self.b >= self.K
        self._start = None if dense else dist

    @staticmethod
    def _cost(model, sites, hubs):
        c = model.site_cost(sites, hubs)
        bad = ~np.isfinite(c)
        if bad.any():
            # beyond max_distance: any finite value is below inf, keep the plain cost
            d = model.metric.pair(*np.broadcast_arrays(sites, hubs))
            w = 1.0 if model.site_w is None else model.site_w[np.broadcast_to(sites, c.shape)]
            c = np.where(bad, d * w, c)
        return c

    def start_cost(self, col):
        """w_i times the distance from site i to its col-th nearest other site."""
        if self._start is None:  # dense: rows are sorted by cost to the hub
            return self.cost[:, col]
        return self.site_w * self._start[:, col]

    def price(self, lam, refine=0):
        """rho (n,) and the chosen fractions x (n, K) of the list members (cols 1..K).

        ``refine`` > 0 (capacity-only models): the knapsacks of the ``refine`` hubs with
        the smallest LP value are solved exactly (0/1 DP) where the LP is fractional."""
        base = self.cost[:, 0] - lam
        red = self.cost[:, 1:] - lam[self.lists[:, 1:]]
        if self.capacity is None:
            val, x = self._count_only(red, lam)
            return base + val, x
        val, x, binding = self._capacity_only(red)
        if self.a == 0 and self.b >= self.K:
            rho = base + val
            if refine:
                rows = _smallest(rho, refine)
                rows = rows[binding[rows]]  # elsewhere the LP takes whole members only
                if len(rows):
                    self._capacity_exact(red, val, x, rows)
                    rho[rows] = base[rows] + val[rows]
            return rho, x
        # both kinds of constraint: the count-only value ignores the capacity, the LP value
        # ignores the count bounds (and integrality); each minimises over a superset of the
        # joint subproblem's feasible sets, so each is <= rho_j and so is their maximum
        val_c, x_c = self._count_only(red, lam)
        use_c = val_c > val
        return base + np.where(use_c, val_c, val), np.where(use_c[:, None], x_c, x)

    def _count_only(self, red, lam):
        n, K = red.shape
        a, b = self.a, self.b
        if a == 0 and b >= K:
            x = (red < 0).astype(float)
            return (red * x).sum(axis=1), x
        virt = min(a, self.n_out)
        ext = red
        if virt:
            # forced members outside the list: reduced cost >= floor (lam <= lam_cap)
            floor = np.maximum(0.0, self.w_min * self.r - lam.max())
            ext = np.concatenate([red, np.repeat(floor[:, None], virt, axis=1)], axis=1)
        srt = np.sort(ext, axis=1)
        width = srt.shape[1]
        take = np.clip((srt < 0).sum(axis=1), min(a, width), min(b, width))
        rows = np.arange(n)
        last = np.maximum(take - 1, 0)
        val = np.where(take > 0, np.cumsum(srt, axis=1)[rows, last], 0.0)
        # members: everything below the take-th value, ties at it shared (a convex
        # combination of optimal choices, still a subgradient)
        tau = np.where(take > 0, srt[rows, last], -np.inf)[:, None]
        below = ext < tau
        tied = ext == tau
        share = (take - below.sum(axis=1)) / np.maximum(tied.sum(axis=1), 1)
        x = below[:, :K] + tied[:, :K] * share[:, None]
        return val, x

    def _capacity_only(self, red):
        """Fractional knapsack per hub; also returns which hubs' LP is fractional."""
        x = (red < 0).astype(float)
        val = (red * x).sum(axis=1)
        # only where the negative members do not all fit is the greedy order needed
        binding = (self.q * x).sum(axis=1) > self.room
        rows = np.nonzero(binding)[0]
        if len(rows) == 0:
            return val, x, binding
        r, q = red[rows], self.q[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(r < 0, r / q, np.inf)  # r < 0 and q == 0 gives -inf: first
        order = np.argsort(ratio, axis=1)
        rs = np.take_along_axis(r, order, axis=1)
        qs = np.take_along_axis(q, order, axis=1) * (rs < 0)
        before = np.cumsum(qs, axis=1) - qs
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.clip((self.room[rows, None] - before) / qs, 0.0, 1.0)
        frac = np.where(rs < 0, np.where(qs > 0, frac, 1.0), 0.0)
        val[rows] = (frac * rs).sum(axis=1)
        xr = np.zeros_like(r)
        np.put_along_axis(xr, order, frac, axis=1)
        x[rows] = xr
        return val, x, binding

    def _capacity_exact(self, red, val, x, rows):
        """Exact 0/1 knapsack over the (scaled) demand for ``rows``, in place.

        Weights ``floor(s*q)`` and room ``floor(s*(Q - q_j) + tol)`` keep every feasible
        set feasible (sum of floors <= floor of sum), so the exact value is still <= rho_j;
        max(exact, LP) is used as both are valid. Only members with negative reduced cost
        can be in an optimal set: few per hub, so up to ENUM_ITEMS of them every subset
        is enumerated, above that a DP over the demand runs."""
        sub_red = red[rows]
        neg = sub_red < 0
        nu = neg.sum(axis=1)
        # rows by decreasing number of candidates: DP step t only touches a prefix of rows
        by_nu = np.argsort(-nu, kind="stable")
        rows, sub_red, neg, nu = rows[by_nu], sub_red[by_nu], neg[by_nu], nu[by_nu]
        if nu[0] == 0:
            return
        col_order = np.argsort(~neg, axis=1, kind="stable")[:, : nu[0]]  # negatives first
        v = np.take_along_axis(sub_red, col_order, axis=1)
        w = np.take_along_axis(self.q_scaled[rows], col_order, axis=1)
        room = self.room_scaled[rows]
        exact = np.zeros(len(rows))
        xs = np.zeros(v.shape)
        many = int((nu > ENUM_ITEMS).sum())
        if many:
            exact[:many], xs[:many] = _knapsack_dp(v[:many], w[:many], room[:many], nu[:many])
        for size in range(1, min(int(nu[0]), ENUM_ITEMS) + 1):
            grp = np.nonzero(nu == size)[0]
            if len(grp):
                exact[grp], xs[grp, :size] = _knapsack_enum(v[grp, :size], w[grp, :size], room[grp])
        gain = exact > val[rows] + 1e-12 * np.abs(val[rows])
        if not gain.any():
            return
        sel = np.nonzero(gain)[0]
        val[rows[sel]] = exact[sel]
        xr = np.zeros((len(sel), x.shape[1]))
        np.put_along_axis(xr, col_order[sel], xs[sel], axis=1)
        x[rows[sel]] = xr


_SUBSETS = {}


def _knapsack_enum(v, w, room):
    """Best subset of the (r, s) items per row with total weight <= room: all 2^s."""
    s = v.shape[1]
    if s not in _SUBSETS:
        _SUBSETS[s] = ((np.arange(2**s)[:, None] >> np.arange(s)[None, :]) & 1).astype(float)
    bits = _SUBSETS[s]
    value = v @ bits.T
    value[w.astype(float) @ bits.T > room[:, None] + 0.5] = np.inf  # weights are integers
    best = np.argmin(value, axis=1)
    return value[np.arange(len(v)), best], bits[best]


def _knapsack_dp(v, w, room, nu):
    """Same as _knapsack_enum by DP over the weight; rows sorted by decreasing ``nu``
    (items beyond nu[r] are ignored)."""
    nb = len(v)
    cells = int(room.max()) + 1
    w = np.minimum(w, cells)  # heavier than any room: lands in the inf padding
    width = 2 * cells
    dp = np.full((nb, width), np.inf)
    dp[:, cells:] = 0.0  # dp[r, cells + c]: best value with weight <= c
    flat = dp.reshape(-1)
    row_base = np.arange(nb) * width + cells
    span = np.arange(cells)
    took = []
    for t in range(int(nu[0])):
        act = int((nu > t).sum())
        src = (row_base[:act] - w[:act, t])[:, None] + span[None, :]
        cand = flat[src] + v[:act, t, None]
        cur = dp[:act, cells:]
        better = cand < cur
        np.minimum(cur, cand, out=cur)
        took.append(better)
    value = dp[np.arange(nb), cells + room]
    xs = np.zeros(v.shape)
    c = room.copy()
    for t in range(len(took) - 1, -1, -1):
        act = took[t].shape[0]
        hit = took[t][np.arange(act), c[:act]]
        xs[:act, t] = hit
        c[:act] -= np.where(hit, w[:act, t], 0)
    return value, xs


def _smallest(values, count):
    """Indices of the ``count`` smallest values (any order)."""
    if count >= len(values):
        return np.arange(len(values))
    return np.argpartition(values, count - 1)[:count]


def _default_knn(model) -> int:
    # lam_i cannot exceed the distance to the nearest hub whose list misses i, so the
    # lists must reach beyond a typical cluster radius: about twice the mean cluster size
    return max(20, math.ceil(2 * model.n / model.k) + 15)


def _outside_radius(lists, dist):
    """U_i: a lower bound on d(i, j) over hubs j whose list does not contain i.

    Hubs outside i's own list are at least its K-th neighbour distance away; among the
    hubs in i's list (ascending distance) the first one whose list misses i gives it."""
    n, K1 = lists.shape
    keys = np.sort((np.arange(n)[:, None] * n + lists).ravel())
    ask = (lists * n + np.arange(n)[:, None]).ravel()  # "is i in the list of hub lists[i, t]"
    pos = np.minimum(np.searchsorted(keys, ask), len(keys) - 1)
    member = (keys[pos] == ask).reshape(n, K1)
    member[:, 0] = True
    radius = dist[:, -1].copy()
    miss = ~member
    has = miss.any(axis=1)
    first = np.argmax(miss, axis=1)
    radius[has] = np.minimum(radius[has], dist[has, first[has]])
    return radius


def _maximise(sub: _Subproblems, k: int, upper_bound, deadline: float, trace=None):
    """Subgradient ascent on L(lam); returns the best L seen (every L is a valid bound)."""
    n = sub.n
    lists = sub.lists
    # start near the LP duals: each site priced at the distance to a neighbour about
    # half a cluster away
    col = int(min(sub.K, max(1, round(START_RANK * n / k))))
    lam = np.minimum(sub.start_cost(col), sub.lam_cap)
    refine = min(n, math.ceil(REFINE_HUBS * k) + 32) if sub.exact_knapsack else 0
    best = -math.inf
    best_margin = 0.0
    factor = START_FACTOR
    stall = 0
    ub = float(upper_bound) if upper_bound is not None and math.isfinite(upper_bound) else None
    it = 0
    while time.perf_counter() < deadline:
        rho, x = sub.price(lam, refine)
        hubs = _smallest(rho, k)
        value = float(lam.sum() + rho[hubs].sum())
        it += 1
        if best == -math.inf or value > best + 1e-9 * max(1.0, abs(best)):
            best = value
            best_margin = 1e-9 * (float(np.abs(lam).sum()) + float(np.abs(rho[hubs]).sum()))
            stall = 0
            if ub is not None and best >= ub - 1e-9 * max(1.0, abs(ub)):
                break  # the bound meets the upper bound: optimal, nothing to gain
        else:
            stall += 1
            if stall >= PATIENCE:
                factor /= 2
                stall = 0
                if factor < MIN_FACTOR:
                    break
        if trace is not None:
            trace(it, value, best, factor)
        cover = np.bincount(lists[hubs, 1:].ravel(), weights=x[hubs].ravel(), minlength=n)
        cover[hubs] += 1.0
        g = 1.0 - cover
        norm = float(g @ g)
        if norm < 1e-12:
            break  # the relaxed solution is a partition: L is its cost, nothing to gain
        target = ub if ub is not None and ub > best else best + 0.05 * abs(best) + 1.0
        lam = np.minimum(lam + factor * (target - value) / norm * g, sub.lam_cap)
    if not math.isfinite(best):
        return None
    # far above the float rounding of the sums, far below anything that matters (callers
    # round bounds up to integers for integral costs)
    return best - best_margin
