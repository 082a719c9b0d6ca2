"""Internal model: must-link groups contracted into *items*, k chosen, costs, checks.

An item is a set of sites that must share a cluster (a must-link group, a locked
cluster, or a single free site). Hubs are always individual sites.
"""

from __future__ import annotations

import math

import numpy as np

from .problem import Problem


class Infeasible(Exception):
    """Raised while building the model when a constraint can never be met."""


class _DSU:
    def __init__(self, n):
        self.p = list(range(n))

    def find(self, a):
        p = self.p
        while p[a] != a:
            p[a] = p[p[a]]
            a = p[a]
        return a

    def union(self, a, b):
        a, b = self.find(a), self.find(b)
        if a != b:
            if a > b:
                a, b = b, a
            self.p[b] = a


class Model:
    def __init__(self, pb: Problem):
        self.pb = pb
        n = pb.n
        self.n = n
        self.metric = pb.metric
        # ---- items ---------------------------------------------------------------
        dsu = _DSU(n)
        for g in pb.must_link:
            for s in g[1:]:
                dsu.union(g[0], s)
        lock = pb.locked
        if lock is not None:
            first = {}
            for s in np.nonzero(lock >= 0)[0]:
                lab = int(lock[s])
                if lab in first:
                    dsu.union(first[lab], int(s))
                else:
                    first[lab] = int(s)
        roots = np.array([dsu.find(i) for i in range(n)])
        uniq, item_of = np.unique(roots, return_inverse=True)
        self.item_of = item_of.astype(np.int64)
        m = len(uniq)
        self.m = m
        order = np.argsort(item_of, kind="stable")
        bounds = np.searchsorted(item_of[order], np.arange(m + 1))
        self.members = [order[bounds[g] : bounds[g + 1]] for g in range(m)]
        self.w = np.bincount(item_of, minlength=m).astype(np.int64)
        self.q = np.bincount(item_of, weights=pb.demand, minlength=m)
        self.singletons = bool((self.w == 1).all())
        self.flag = None
        if pb.need_flag is not None:
            self.flag = np.bincount(item_of, weights=pb.need_flag.astype(float), minlength=m) > 0
        self.lock = None
        if lock is not None:
            self.lock = np.full(m, -1, dtype=np.int64)
            for g in range(m):
                labs = np.unique(lock[self.members[g]])
                labs = labs[labs >= 0]
                if len(labs) > 1:
                    raise Infeasible(
                        f"a must-link group joins sites locked to different clusters "
                        f"{int(labs[0])} and {int(labs[1])}"
                    )
                if len(labs):
                    self.lock[g] = labs[0]
            if not (self.lock >= 0).any():
                self.lock = None
        cl = set()
        for a, b in pb.cannot_link:
            ga, gb = int(item_of[a]), int(item_of[b])
            if ga == gb:
                why = (
                    "locked to the same cluster"
                    if (lock is not None and lock[a] >= 0 and lock[a] == lock[b])
                    else "in the same must-link group"
                )
                raise Infeasible(f"cannot-link pair ({a}, {b}) is {why}")
            cl.add((min(ga, gb), max(ga, gb)))
        self.cannot = sorted(cl)
        self.cannot_of: dict[int, list[int]] = {}
        for a, b in self.cannot:
            self.cannot_of.setdefault(a, []).append(b)
            self.cannot_of.setdefault(b, []).append(a)

        self.min_size = pb.min_size
        self.max_size = pb.max_size
        self.capacity = pb.capacity
        self.max_distance = pb.max_distance
        self.cur = pb.current_labels if pb.move_cost > 0 else None
        self.move_cost = pb.move_cost
        self.site_w = pb.demand if pb.weighted else None
        self._checks()
        self.k = self._choose_k()
        self.unit = self.singletons and (pb.capacity is None or bool(np.all(pb.demand == 1)))

    # ---- costs ---------------------------------------------------------------------
    def site_cost(self, s, j):
        """Optimised cost of site(s) s served by hub(s) j (broadcast)."""
        s = np.asarray(s)
        j = np.asarray(j)
        d = self.metric.pair(s, j)
        c = d if self.site_w is None else d * self.site_w[s]
        if self.cur is not None:
            cs = self.cur[s]
            c = c + self.move_cost * ((cs >= 0) & (self.cur[j] != cs))
        if self.max_distance is not None:
            c = np.where(d <= self.max_distance + 1e-9, c, np.inf)
        return c

    def item_cost(self, items, hubs):
        """Cost of item(s) -> hub(s), elementwise; inf when not admissible."""
        items = np.asarray(items)
        hubs = np.asarray(hubs)
        if self.singletons:
            return self.site_cost(items, hubs)
        items_b, hubs_b = np.broadcast_arrays(items, hubs)
        out = np.empty(items_b.shape)
        fi = items_b.ravel()
        fh = hubs_b.ravel()
        fo = out.ravel()
        single = self.w[fi] == 1
        if single.any():
            fo[single] = self.site_cost(self.members_first[fi[single]], fh[single])
        for t in np.nonzero(~single)[0]:
            fo[t] = self.site_cost(self.members[fi[t]], fh[t]).sum()
        return out

    @property
    def members_first(self):
        if not hasattr(self, "_mf"):
            self._mf = np.array([mm[0] for mm in self.members])
        return self._mf

    # ---- checks --------------------------------------------------------------------
    def _checks(self):
        pb = self.pb
        big = int(np.argmax(self.w))
        if self.w[big] > self.max_size:
            what = (
                "must-link group"
                if pb.locked is None or self.lock is None or self.lock[big] < 0
                else f"locked cluster {int(self.lock[big])}"
            )
            raise Infeasible(f"{what} of {int(self.w[big])} sites exceeds max_size {self.max_size}")
        if pb.capacity is not None:
            g = int(np.argmax(self.q))
            if self.q[g] > pb.capacity + 1e-9:
                if self.w[g] == 1:
                    raise Infeasible(
                        f"site {int(self.members[g][0])} has demand {_fmt(self.q[g])} "
                        f"> capacity {_fmt(pb.capacity)}"
                    )
                raise Infeasible(
                    f"must-link group of {int(self.w[g])} sites has demand {_fmt(self.q[g])} "
                    f"> capacity {_fmt(pb.capacity)}"
                )
        if self.min_size > self.max_size:
            raise Infeasible(f"min_size {self.min_size} > max_size {self.max_size}")

    def _k_range(self):
        """Range of k allowed by simple counting arguments, with the reason for each end."""
        pb = self.pb
        n = self.n
        lo, lo_why = 1, ""
        hi, hi_why = self.m, f"only {self.m} sites/groups can be hubs"
        a = math.ceil(n / self.max_size)
        if a > lo:
            lo, lo_why = a, "max_size"
        b = n // self.min_size
        if b < hi:
            hi, hi_why = b, "min_size"
        if pb.capacity is not None:
            a = math.ceil(self.q.sum() / pb.capacity - 1e-9)
            if a > lo:
                lo, lo_why = a, "capacity"
        if self.flag is not None:
            b = int(self.flag.sum())
            if b < hi:
                hi, hi_why = b, "flag"
        if self.lock is not None:
            a = len(np.unique(self.lock[self.lock >= 0]))
            if a > lo:
                lo, lo_why = a, "locked"
        return lo, lo_why, hi, hi_why

    def _fail_k(self, k, lo, lo_why, hi, hi_why):
        pb = self.pb
        n = self.n
        if (
            self.min_size == self.max_size
            and (lo_why == "max_size" or hi_why == "min_size")
            and n % self.min_size != 0
        ):
            return f"{n} sites cannot form clusters of exactly {self.min_size}"
        if k is not None:
            if k < lo:
                if lo_why == "max_size":
                    return (
                        f"{n} sites cannot form {k} clusters of at most {self.max_size} "
                        f"sites (need at least {lo} clusters)"
                    )
                if lo_why == "capacity":
                    return (
                        f"total demand {_fmt(self.q.sum())} exceeds {k} clusters x capacity "
                        f"{_fmt(pb.capacity)}"
                    )
                if lo_why == "locked":
                    return f"{lo} locked clusters but only {k} clusters allowed"
            if k > hi:
                if hi_why == "min_size":
                    return (
                        f"{n} sites cannot form {k} clusters of at least {self.min_size} "
                        f"sites (at most {hi} clusters)"
                    )
                if hi_why == "flag":
                    return f"only {hi} flagged sites but {k} clusters needed"
                return f"{k} clusters requested but {hi_why}"
        # lo > hi with k chosen
        reasons = {
            "max_size": f"at least {lo} clusters are needed for max_size {self.max_size}",
            "capacity": f"at least {lo} clusters are needed for total demand "
            f"{_fmt(self.q.sum())} at capacity {_fmt(pb.capacity or 0)}",
            "locked": f"there are {lo} locked clusters",
        }
        his = {
            "min_size": f"at most {hi} clusters of at least {self.min_size} sites fit",
            "flag": f"only {hi} flagged sites",
        }
        if hi_why == "flag":
            return f"only {hi} flagged sites but {lo} clusters needed"
        if lo_why == "max_size" and hi_why == "min_size":
            return (
                f"{n} sites cannot form clusters of between {self.min_size} and "
                f"{self.max_size} sites"
            )
        return f"{reasons.get(lo_why, lo_why)} but {his.get(hi_why, hi_why)}"

    def _choose_k(self):
        pb = self.pb
        lo, lo_why, hi, hi_why = self._k_range()
        if pb.n_clusters is not None:
            k = pb.n_clusters
            if k < lo or k > hi:
                raise Infeasible(self._fail_k(k, lo, lo_why, hi, hi_why))
            return k
        if lo > hi:
            raise Infeasible(self._fail_k(None, lo, lo_why, hi, hi_why))
        # exact-size style infeasibility even when lo <= hi by counting: n sites, sizes in
        # [a, b] are possible for some k iff k*a <= n <= k*b, already in lo/hi.
        k = int(round(self.n / pb.target_size))
        return int(min(max(k, lo), hi))

    def check_max_distance(self):
        """Sites that have no admissible hub at all (only themselves within reach)."""
        md = self.max_distance
        if md is None:
            return
        if self.min_size <= 1 and self.flag is None:
            return
        # a site alone within md can only be a singleton cluster (its own hub)
        nn_idx, nn_d = self.metric.knn(2)
        for s in np.nonzero(nn_d[:, 1] > md + 1e-9)[0] if nn_d.shape[1] > 1 else []:
            g = self.item_of[s]
            if self.w[g] == 1 and self.min_size > 1:
                raise Infeasible(
                    f"site {int(s)} has no possible hub within max_distance {_fmt(md)} "
                    f"(nearest other site is {_fmt(nn_d[s, 1])} away) and min_size is "
                    f"{self.min_size}"
                )
            if self.flag is not None and not self.flag[g] and self.w[g] == 1:
                raise Infeasible(
                    f"site {int(s)} has no possible hub within max_distance {_fmt(md)} "
                    f"and is not flagged, so its cluster would have no flagged site"
                )


def _fmt(x):
    x = float(x)
    return str(int(x)) if x == int(x) else f"{x:g}"
