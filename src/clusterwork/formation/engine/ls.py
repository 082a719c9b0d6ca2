"""Fast local search with fixed hubs (shift and swap of items between clusters),
interleaved with hub relocation. Honours every constraint of the model."""

from __future__ import annotations

import time

import numpy as np
from scipy.spatial import cKDTree

from .construct import best_hub
from .model import Model
from .pairopt import reopt_pair


class LocalSearch:
    def __init__(self, model: Model, hub_of, K=8):
        self.model = model
        self.K = K
        self.clean = set()  # pairs of clusters (as frozensets) known to be pair-optimal
        self.set_solution(hub_of)

    # ---- state -----------------------------------------------------------------------
    def set_solution(self, hub_of):
        m = self.model
        hubs, a = np.unique(hub_of, return_inverse=True)
        self.hub = hubs.astype(np.int64)
        self.k = len(hubs)
        self.a = a.astype(np.int64)
        k = self.k
        self.members = [set() for _ in range(k)]
        for g, c in enumerate(self.a):
            self.members[c].add(g)
        self.lw = np.bincount(self.a, weights=m.w, minlength=k).astype(float)
        self.lq = np.bincount(self.a, weights=m.q, minlength=k)
        self.nf = np.bincount(self.a, weights=m.flag, minlength=k) if m.flag is not None else None
        self.nl = (
            np.bincount(self.a, weights=(m.lock >= 0), minlength=k) if m.lock is not None else None
        )
        self.cost = m.item_cost(np.arange(m.m), self.hub[self.a])
        self._cands()

    def hub_of(self):
        return self.hub[self.a]

    def total(self):
        return float(self.cost.sum())

    def _cands(self):
        m = self.model
        K = min(self.K, self.k)
        if m.metric.matrix is None:
            tree = cKDTree(m.pb.xy[self.hub])
            _, idx = tree.query(m.pb.xy[m.members_first], k=K)
            self.C = np.asarray(idx).reshape(m.m, K)
        else:
            d = m.metric.block(m.members_first, self.hub)
            self.C = np.argsort(d, axis=1, kind="stable")[:, :K]
        self.hub_item = m.item_of[self.hub]

    # ---- feasibility helpers --------------------------------------------------------------
    def _cannot_ok(self, g, c, skip=-1):
        cl = self.model.cannot_of.get(int(g))
        if not cl:
            return True
        a = self.a
        return all(a[h] != c or h == skip for h in cl)

    def _shift_ok(self, g, c, d):
        m = self.model
        w = m.w[g]
        if self.lw[c] - w < m.min_size or self.lw[d] + w > m.max_size:
            return False
        if m.capacity is not None and self.lq[d] + m.q[g] > m.capacity + 1e-9:
            return False
        if self.nf is not None and m.flag[g] and self.nf[c] <= 1:
            return False
        if self.nl is not None and m.lock[g] >= 0 and self.nl[d] >= 1:
            return False
        return self._cannot_ok(g, d)

    def _swap_ok(self, g, c, h, d):
        m = self.model
        dw = m.w[g] - m.w[h]
        if dw and not (
            m.min_size <= self.lw[c] - dw <= m.max_size
            and m.min_size <= self.lw[d] + dw <= m.max_size
        ):
            return False
        if m.capacity is not None:
            dq = m.q[g] - m.q[h]
            if self.lq[d] + dq > m.capacity + 1e-9 or self.lq[c] - dq > m.capacity + 1e-9:
                return False
        if self.nf is not None:
            fg, fh = m.flag[g], m.flag[h]
            if fg and not fh and self.nf[c] <= 1:
                return False
            if fh and not fg and self.nf[d] <= 1:
                return False
        if self.nl is not None:
            lg, lh = m.lock[g] >= 0, m.lock[h] >= 0
            if lg and not lh and self.nl[d] >= 1:
                return False
            if lh and not lg and self.nl[c] >= 1:
                return False
        return self._cannot_ok(g, d, skip=h) and self._cannot_ok(h, c, skip=g)

    def _move(self, g, c, d, newcost):
        m = self.model
        self.members[c].discard(g)
        self.members[d].add(g)
        self.a[g] = d
        self.lw[c] -= m.w[g]
        self.lw[d] += m.w[g]
        self.lq[c] -= m.q[g]
        self.lq[d] += m.q[g]
        if self.nf is not None:
            self.nf[c] -= m.flag[g]
            self.nf[d] += m.flag[g]
        if self.nl is not None:
            lk = m.lock[g] >= 0
            self.nl[c] -= lk
            self.nl[d] += lk
        self.cost[g] = newcost

    # ---- moves ---------------------------------------------------------------------------
    def run(self, deadline, max_rounds=50, order_rng=None, clusters=None):
        """Shift/swap passes + hub relocation until no improvement. Returns #improvements."""
        m = self.model
        total_impr = 0
        for _ in range(max_rounds):
            impr = 0
            if clusters is None:
                pool = np.arange(m.m)
                cl_idx = None
            else:
                pos = {int(h): t for t, h in enumerate(self.hub)}
                cl_idx = [pos[int(h)] for h in clusters if int(h) in pos]
                pool = np.fromiter((g for c in cl_idx for g in self.members[c]), dtype=np.int64)
                pool.sort()
            order = pool if order_rng is None else pool[order_rng.permutation(len(pool))]
            cost_to = np.zeros((m.m, self.C.shape[1]))
            cost_to[pool] = m.item_cost(pool[:, None], self.hub[self.C[pool]])
            for cnt, g in enumerate(order):
                if cnt % 2048 == 0 and time.perf_counter() >= deadline:
                    return total_impr + impr
                c = self.a[g]
                if self.hub_item[c] == g:
                    continue
                cg = self.cost[g]
                row = cost_to[g]
                cand = self.C[g]
                better = np.nonzero(row < cg - 1e-9)[0]
                if len(better) == 0:
                    continue
                better = better[np.argsort(row[better], kind="stable")]
                done = False
                for t in better:
                    d = cand[t]
                    if d == c:
                        continue
                    if self._shift_ok(g, c, d):
                        self._move(g, c, d, row[t])
                        impr += 1
                        done = True
                        break
                if done:
                    continue
                # swaps: g -> d, h (in d) -> c
                best = None
                hc = self.hub[c]
                for t in better[:4]:
                    d = cand[t]
                    if d == c:
                        continue
                    hs = np.fromiter(
                        (h for h in self.members[d] if h != self.hub_item[d]), dtype=np.int64
                    )
                    if len(hs) == 0:
                        continue
                    dh = m.item_cost(hs, np.full(len(hs), hc)) - self.cost[hs]
                    delta = (row[t] - cg) + dh
                    for s in np.argsort(delta, kind="stable"):
                        if delta[s] >= -1e-9:
                            break
                        h = hs[s]
                        if self._swap_ok(g, c, h, d):
                            if best is None or delta[s] < best[0]:
                                best = (delta[s], h, d, row[t], dh[s] + self.cost[h])
                            break
                if best is not None:
                    _, h, d, cgd, chc = best
                    self._move(g, c, d, cgd)
                    self._move(h, d, c, chc)
                    impr += 1
            impr += self.relocate(cl_idx)
            total_impr += impr
            if impr == 0:
                break
        return total_impr

    def neighbour_hubs(self, hubs, nn=4):
        """Hub sites of the given clusters and of their nn nearest clusters."""
        m = self.model
        hubs = np.asarray(hubs, dtype=np.int64)
        if len(hubs) == 0:
            return hubs
        nn = min(nn + 1, self.k)
        if m.metric.matrix is None:
            _, nb = cKDTree(m.pb.xy[self.hub]).query(m.pb.xy[hubs], k=nn)
        else:
            nb = np.argsort(m.metric.block(hubs, self.hub), axis=1, kind="stable")[:, :nn]
        return np.unique(np.concatenate([hubs, self.hub[np.asarray(nb).ravel()]]))

    def _forbidden(self, *clusters):
        if self.model.cur is None:
            return None
        labs = self.model.cur[self.hub]
        skip = set(int(c) for c in clusters)
        return {int(v) for t, v in enumerate(labs) if v >= 0 and t not in skip}

    def relocate(self, only=None):
        """Best hub within every cluster; updates candidates when a hub moves."""
        m = self.model
        changed = 0
        for c in range(self.k) if only is None else only:
            items = np.fromiter(self.members[c], dtype=np.int64)
            h, val = best_hub(m, items, forbidden=self._forbidden(c))
            cur = float(self.cost[items].sum())
            if np.isfinite(val) and val < cur - 1e-9 and h != self.hub[c]:
                self.hub[c] = h
                self.cost[items] = m.item_cost(items, np.full(len(items), h))
                changed += 1
        if changed:
            self._cands()
        return changed

    def pair_sweep(self, deadline, rng, nn=4, clusters=None):
        """Exact two-cluster re-optimisation for every cluster and its nn nearest
        neighbouring clusters. Returns the number of improvements."""
        m = self.model
        k = self.k
        if k < 2:
            return 0
        nn = min(nn, k - 1)
        if m.metric.matrix is None:
            tree = cKDTree(m.pb.xy[self.hub])
            _, nb = tree.query(m.pb.xy[self.hub], k=nn + 1)
        else:
            d = m.metric.block(self.hub, self.hub)
            nb = np.argsort(d, axis=1, kind="stable")[:, : nn + 1]
        nb = np.asarray(nb).reshape(k, nn + 1)
        impr = 0
        self.changed = set()
        if clusters is None:
            order = rng.permutation(k)
        else:
            pos = {int(h): t for t, h in enumerate(self.hub)}
            order = np.array([pos[int(h)] for h in clusters if int(h) in pos], dtype=np.int64)
        for c in order:
            if time.perf_counter() >= deadline:
                break
            for d in nb[c]:
                if d == c:
                    continue
                fa = frozenset(self.members[c])
                fb = frozenset(self.members[d])
                key = (fa, fb) if hash(fa) <= hash(fb) else (fb, fa)
                if key in self.clean:
                    continue
                A = np.fromiter(self.members[c], dtype=np.int64)
                B = np.fromiter(self.members[d], dtype=np.int64)
                cur = float(self.cost[A].sum() + self.cost[B].sum())
                r = reopt_pair(m, A, B, cur, forbidden=self._forbidden(c, d))
                if r is None:
                    if len(self.clean) > 200000:
                        self.clean.clear()
                    self.clean.add(key)
                    continue
                _, s1, h1, s2, h2 = r
                for cl, side, h in ((c, s1, h1), (d, s2, h2)):
                    self.changed.add(h)
                    self.hub[cl] = h
                    self.members[cl] = set(int(x) for x in side)
                    self.a[side] = cl
                    self.cost[side] = m.item_cost(side, np.full(len(side), h))
                    self.lw[cl] = m.w[side].sum()
                    self.lq[cl] = m.q[side].sum()
                impr += 1
        if impr:
            self._cands()
        return impr
