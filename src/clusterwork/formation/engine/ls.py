"""Fast local search with fixed hubs (shift and swap of items between clusters),
interleaved with hub relocation. Honours every constraint of the model."""

from __future__ import annotations

import time

import numpy as np
from scipy.spatial import cKDTree

from .construct import best_hub
from .model import Model
from .pairopt import reopt_pair

PAIR_HUBS_ALL_ITEMS = 500  # SJC 0.18 -> 0.06 % mean gap with 20 instead of 10
RELOCATE_BLOCK_SIZE = 150  # clusters up to this size are re-hubbed in one cost block per size


class LocalSearch:
    def __init__(self, model: Model, hub_of, K=8):
        self.model = model
        self.K = K
        # candidate hubs per exact pair re-optimisation: all sites of two ~10-site
        # clusters on small instances (5 per side missed cpmp20's optimum by 0.8 %);
        # fewer on large ones, where the pair DP dominates a round
        self.pair_hubs = 20 if model.m <= PAIR_HUBS_ALL_ITEMS else 10
        self.clean = set()  # pairs of clusters (as frozensets) known to be pair-optimal
        self._jc = None  # undo journal: cluster -> saved state (None = not recording)
        self._ji = None  # undo journal: item -> (cluster, cost)
        self._jcands = []  # undo journal: (items, their candidate rows) before a refresh
        self._jtree = None  # undo journal: hub tree before the first refresh
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

    def _cands(self, clusters=None):
        """K nearest hubs per item. With ``clusters`` only the items of those clusters and
        of their nearest clusters are refreshed (a moved hub only matters nearby; other
        rows stay valid cluster indices, at worst slightly stale candidates)."""
        m = self.model
        K = min(self.K, self.k)
        self.hub_item = m.item_of[self.hub]
        if clusters is not None and len(clusters) * 4 < self.k:
            cl = self.neighbour_clusters(clusters)
            items = np.fromiter((g for c in cl for g in self.members[c]), dtype=np.int64)
        else:
            items = None
        if self._jc is not None:
            # journal the candidate rows and hub tree, so that undo restores them
            # instead of recomputing (a third of an ILS round's time otherwise)
            if self._jtree is None:
                self._jtree = getattr(self, "_htree", None)
            rows = np.arange(m.m) if items is None else items
            self._jcands.append((rows, self.C[rows].copy()))
        if m.metric.matrix is None:
            tree = cKDTree(m.pb.xy[self.hub])
            self._htree = tree
            if items is None:
                _, idx = tree.query(m.pb.xy[m.members_first], k=K)
                self.C = np.asarray(idx).reshape(m.m, K)
            else:
                _, idx = tree.query(m.pb.xy[m.members_first[items]], k=K)
                self.C[items] = np.asarray(idx).reshape(len(items), K)
        else:
            self._htree = None
            sel = np.arange(m.m) if items is None else items
            d = m.metric.block(m.members_first[sel], self.hub)
            if items is None:
                self.C = np.argsort(d, axis=1, kind="stable")[:, :K]
            else:
                self.C[items] = np.argsort(d, axis=1, kind="stable")[:, :K]

    def _index_of(self, hubs):
        """Cluster index of each hub site (-1 for a site that is not a hub)."""
        pos = np.full(self.model.n, -1, np.int64)
        pos[self.hub] = np.arange(self.k)
        return pos[np.asarray(hubs, dtype=np.int64)]

    def neighbour_clusters(self, clusters, nn=4):
        """Cluster indices of ``clusters`` and of their nn nearest clusters (by hub)."""
        clusters = np.asarray(list(clusters), dtype=np.int64)
        nn = min(nn + 1, self.k)
        if len(clusters) == 0:
            return clusters
        m = self.model
        if m.metric.matrix is None:
            tree = getattr(self, "_htree", None)
            if tree is None or tree.n != self.k:
                tree = self._htree = cKDTree(m.pb.xy[self.hub])
            # the tree is built on hub positions at the last refresh: good enough here
            _, nb = tree.query(m.pb.xy[self.hub[clusters]], k=nn)
        else:
            nb = np.argsort(m.metric.block(self.hub[clusters], self.hub), axis=1, kind="stable")
            nb = nb[:, :nn]
        return np.unique(np.concatenate([clusters, np.asarray(nb).ravel()]))

    # ---- in-place perturbation with undo ----------------------------------------------
    def begin(self):
        """Start recording changes so that :meth:`undo` can restore the current state in
        time proportional to what changed (not to n)."""
        self._jc = {}
        self._ji = {}
        self._jcands = []
        self._jtree = None

    def _save_cluster(self, c):
        if self._jc is not None and c not in self._jc:
            self._jc[c] = (
                int(self.hub[c]),
                set(self.members[c]),
                float(self.lw[c]),
                float(self.lq[c]),
                None if self.nf is None else float(self.nf[c]),
                None if self.nl is None else float(self.nl[c]),
            )

    def _save_items(self, items):
        if self._ji is None:
            return
        ji = self._ji
        for g in np.asarray(items).tolist():
            if g not in ji:
                ji[g] = (int(self.a[g]), float(self.cost[g]))

    def commit(self):
        self._jc = None
        self._ji = None
        self._jcands = []
        self._jtree = None

    def delta(self):
        """Cost change since :meth:`begin`."""
        ji = self._ji
        if not ji:
            return 0.0
        g = np.fromiter(ji.keys(), dtype=np.int64, count=len(ji))
        old = np.fromiter((v[1] for v in ji.values()), dtype=float, count=len(ji))
        return float(self.cost[g].sum() - old.sum())

    def undo(self):
        jc, ji = self._jc, self._ji
        jc_cands = bool(self._jcands)
        self._jc = self._ji = None
        if not jc and not ji:
            return
        for g, (c, cst) in ji.items():
            self.a[g] = c
            self.cost[g] = cst
        moved = False
        for c, (h, mem, lw, lq, nf, nl) in jc.items():
            moved |= self.hub[c] != h
            self.hub[c] = h
            self.members[c] = mem
            self.lw[c] = lw
            self.lq[c] = lq
            if nf is not None:
                self.nf[c] = nf
            if nl is not None:
                self.nl[c] = nl
        for rows, saved in reversed(self._jcands):
            self.C[rows] = saved
        if self._jtree is not None:
            self._htree = self._jtree
        self._jcands = []
        self._jtree = None
        if moved and not jc_cands:
            self._cands(list(jc))
        else:
            self.hub_item = self.model.item_of[self.hub]

    def apply(self, hub_of):
        """Move in place to the solution ``hub_of`` (same k). Cluster indices of hubs that
        stay open are kept; closed clusters are reused for the newly opened hubs. Returns
        the indices of the clusters that changed."""
        m = self.model
        hub_of = np.asarray(hub_of, dtype=np.int64)
        old = self.hub[self.a]
        ch = np.nonzero(hub_of != old)[0]
        if len(ch) == 0:
            return np.zeros(0, np.int64)
        old_c = np.unique(self.a[ch])
        closed = [int(c) for c in old_c if hub_of[self.hub_item[c]] != self.hub[c]]
        is_open = np.zeros(m.n, bool)
        is_open[self.hub] = True
        new_h = np.unique(hub_of[ch])
        opened = new_h[~is_open[new_h]]
        if len(opened) != len(closed):
            raise ValueError("apply: the number of clusters must not change")
        for c in closed:
            self._save_cluster(c)
        for c in old_c:
            self._save_cluster(int(c))
        for c, h in zip(closed, opened.tolist(), strict=True):
            self.hub[c] = h
        new_c = self._index_of(hub_of[ch])
        for c in np.unique(new_c):
            self._save_cluster(int(c))
        self._save_items(ch)
        for g, c, d in zip(ch.tolist(), self.a[ch].tolist(), new_c.tolist(), strict=True):
            self.members[c].discard(g)
            self.members[d].add(g)
        np.subtract.at(self.lw, self.a[ch], m.w[ch])
        np.add.at(self.lw, new_c, m.w[ch])
        np.subtract.at(self.lq, self.a[ch], m.q[ch])
        np.add.at(self.lq, new_c, m.q[ch])
        if self.nf is not None:
            np.subtract.at(self.nf, self.a[ch], m.flag[ch])
            np.add.at(self.nf, new_c, m.flag[ch])
        if self.nl is not None:
            lk = (m.lock[ch] >= 0).astype(float)
            np.subtract.at(self.nl, self.a[ch], lk)
            np.add.at(self.nl, new_c, lk)
        self.a[ch] = new_c
        self.cost[ch] = m.item_cost(ch, hub_of[ch])
        touched = np.unique(np.concatenate([old_c, new_c]))
        self._cands(touched)
        return touched

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
        if self._jc is not None:
            self._save_cluster(c)
            self._save_cluster(d)
            self._save_items([g])
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
    def run(self, deadline, max_rounds=50, order_rng=None, clusters=None, allowed=None):
        """Shift/swap passes + hub relocation until no improvement (moves only between
        ``allowed`` clusters when given, a bool per cluster index). Returns
        #improvements."""
        m = self.model
        total_impr = 0
        for _ in range(max_rounds):
            impr = 0
            if clusters is None and allowed is None:
                pool = np.arange(m.m)
                cl_idx = None
            else:
                if clusters is None:
                    cl_idx = np.arange(self.k)
                else:
                    cl_idx = self._index_of(clusters)
                    cl_idx = cl_idx[cl_idx >= 0]
                if allowed is not None:
                    cl_idx = cl_idx[allowed[cl_idx]]
                cl_idx = cl_idx.tolist()
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
                    if d == c or (allowed is not None and not allowed[d]):
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
                    if d == c or (allowed is not None and not allowed[d]):
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
        clusters = range(self.k) if only is None else only
        if m.singletons and m.cur is None:
            best = self._best_hubs(clusters)
        else:
            best = ((c, *self._best_hub(c)) for c in clusters)
        moved = []
        for c, items, h, val in best:
            cur = float(self.cost[items].sum())
            if np.isfinite(val) and val < cur - 1e-9 and h != self.hub[c]:
                self._save_cluster(c)
                self._save_items(items)
                self.hub[c] = h
                self.cost[items] = m.item_cost(items, np.full(len(items), h))
                moved.append(c)
        if moved:
            self._cands(None if only is None else moved)
        return len(moved)

    def _best_hub(self, c):
        """(items, best hub, its cost) of cluster ``c``, one cluster at a time."""
        items = np.fromiter(self.members[c], dtype=np.int64)
        return (items, *best_hub(self.model, items, forbidden=self._forbidden(c)))

    def _best_hubs(self, clusters):
        """(cluster, items, best hub, its cost) for every cluster, the clusters of one size
        priced together: one (clusters, s, s) cost block per size instead of a NumPy call
        per cluster (on all of England 4,402 calls per relocation pass, a third of the
        first descent). Same choice, ties included, as ``best_hub``."""
        by_size = {}
        for c in clusters:
            by_size.setdefault(len(self.members[c]), []).append(int(c))
        for size, group in by_size.items():
            if size > RELOCATE_BLOCK_SIZE:
                for c in group:
                    yield (c, *self._best_hub(c))
                continue
            sites = np.array([list(self.members[c]) for c in group], dtype=np.int64)
            total = self.model.site_cost(sites[:, :, None], sites[:, None, :]).sum(axis=1)
            pick = np.argmin(total, axis=1)
            rows = np.arange(len(group))
            hubs, values = sites[rows, pick], total[rows, pick]
            for t, c in enumerate(group):
                yield c, sites[t], int(hubs[t]), float(values[t])

    def pair_sweep(self, deadline, rng, nn=4, clusters=None, allowed=None):
        """Exact two-cluster re-optimisation for every cluster and its nn nearest
        neighbouring clusters (only pairs of ``allowed`` clusters when given, a bool per
        cluster index). Returns the number of improvements."""
        m = self.model
        k = self.k
        if k < 2:
            return 0
        nn = min(nn, k - 1)
        if clusters is None:
            order = rng.permutation(k)
        else:
            order = self._index_of(clusters)
            order = order[order >= 0]
        if allowed is not None:
            order = order[allowed[order]]
            if len(order) == 0:
                return 0
        if m.metric.matrix is None:
            tree = getattr(self, "_htree", None)
            if tree is None or tree.n != self.k:  # built on the current hubs by _cands
                tree = cKDTree(m.pb.xy[self.hub])
            _, nb = tree.query(m.pb.xy[self.hub[order]], k=nn + 1)
        else:
            d = m.metric.block(self.hub[order], self.hub)
            nb = np.argsort(d, axis=1, kind="stable")[:, : nn + 1]
        nb = np.asarray(nb).reshape(len(order), nn + 1)
        impr = 0
        self.changed = set()
        moved = []
        for oc, c in enumerate(order):
            if time.perf_counter() >= deadline:
                break
            for d in nb[oc]:
                if d == c or (allowed is not None and not allowed[d]):
                    continue
                fa = frozenset(self.members[c])
                fb = frozenset(self.members[d])
                key = (fa, fb) if hash(fa) <= hash(fb) else (fb, fa)
                if key in self.clean:
                    continue
                A = np.fromiter(self.members[c], dtype=np.int64)
                B = np.fromiter(self.members[d], dtype=np.int64)
                cur = float(self.cost[A].sum() + self.cost[B].sum())
                r = reopt_pair(m, A, B, cur, H=self.pair_hubs, forbidden=self._forbidden(c, d))
                if r is None:
                    if len(self.clean) > 200000:
                        self.clean.clear()
                    self.clean.add(key)
                    continue
                _, s1, h1, s2, h2 = r
                self._save_cluster(int(c))
                self._save_cluster(int(d))
                self._save_items(A)
                self._save_items(B)
                moved += [int(c), int(d)]
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
            self._cands(None if clusters is None else moved)
        return impr
