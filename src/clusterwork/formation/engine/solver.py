"""Top-level ``solve``: exact MIP for small instances, otherwise construction +
flow/relocation + GB21-style decomposition, with an LP lower bound when affordable."""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import forking
from .bound import lagrangian_bound
from .construct import best_hub, construct, fix_hub_labels, leaf_ok
from .hubsearch import TransportLP, exchange_hubs
from .hubsearch import applicable as hub_search_applicable
from .ils import ils_in_place, ils_partitioned, partitionable, rebisect, swap_perturb
from .improve import Decomposer, flow_assign, gap_assign, gap_assign_applicable, total_cost
from .ls import LocalSearch
from .mip import solve_mip
from .model import Infeasible, Model
from .pairopt import applicable as pair_applicable
from .problem import Problem

EXACT_ITEMS = 40  # whole problem solved by MIP up front when it has at most this many items
LP_BOUND_ITEMS = 120  # LP relaxation lower bound computed when there are at most this many items
LP_SECONDS_PER_ITEM_SQUARED = 3.5e-5  # its HiGHS time grows about with the square of the items
BOUND_SHARE = 0.1  # above that, at most this share of the time limit goes to a Lagrangian bound
BOUND_MAX_SECONDS = 10.0
PARALLEL_MAX_ITEMS = 5000  # above this two independent chains duplicate too much descent
# A chain that stops improving for ``patience`` rounds before the time limit starts again
# from a fresh construction, at most this many times (cpmp20 sat 0.8 % above its optimum
# from 1.4 s of its 2 s; a fresh start finds it about half the time)
PATIENCE_RESTARTS = 3
GAP_ASSIGN_SHARE = 0.1  # share of the search time kept for the final exact re-assignment...
GAP_ASSIGN_MAX_SECONDS = 2.0  # ...and at most this (HiGHS: 0.02-0.15 s at n = 100, < 1 s at 400)
HUB_WALK_PATIENCE_DIVISOR = 4  # where the hub walk applies, it starts after a 4th of the patience
# a walk's exact re-assignment is not started with less time left (HiGHS takes 0.02-0.2 s)
WALK_REASSIGN_MIN_SECONDS = 0.1
_DEBUG = bool(__import__("os").environ.get("CW_DEBUG"))


@dataclass
class Result:
    """Outcome of :func:`solve`.

    ``labels`` (n,) cluster index per site, ``hubs`` (k,) hub site per cluster
    (``labels[hubs[c]] == c``), ``objective`` the unweighted sum of site-to-hub
    distances, ``cost`` the optimised cost (objective, or weighted/penalised variant),
    ``lower_bound`` a proven lower bound on ``cost`` or None, ``gap`` =
    (cost - lower_bound) / cost, ``status`` "optimal" (proven), "feasible" or
    "infeasible" (``labels``/``hubs`` are None; ``message`` says why), ``moves`` the
    number of moved sites in incremental mode, ``history`` [(seconds, objective)] of
    improvements, ``runtime`` seconds.
    """

    status: str
    message: str = ""
    labels: np.ndarray | None = None
    hubs: np.ndarray | None = None
    objective: float | None = None
    cost: float | None = None
    lower_bound: float | None = None
    gap: float | None = None
    runtime: float = 0.0
    n_clusters: int | None = None
    moves: int | None = None
    history: list = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "feasible")


def solve(
    problem: Problem,
    time_limit: float = 60.0,
    seed: int = 0,
    *,
    progress: Callable[[float, float, str], None] | None = None,
    initial_labels=None,
    patience: int | None = None,
    workers: int | None = None,
) -> Result:
    """Solve ``problem`` within ``time_limit`` seconds (best found so far is returned).

    ``seed`` makes the search reproducible: the same problem, seed and a time limit
    that is not hit give the same labels. ``progress(seconds, objective, phase)`` is
    called at each improvement. ``initial_labels`` (n,) is an optional feasible
    starting clustering (ignored when it violates a constraint). ``patience`` is the
    number of non-improving perturbation rounds after which the search stops before
    the time limit (default max(300, 5k)); runs that stop this way are reproducible.
    ``workers``: number of independent search chains (seeds ``seed`` and ``seed + 1000``
    ...) run in parallel processes (fork, Linux only) for the unconstrained/capacity
    models; the best is returned. Default: 2 when the calling process is
    single-threaded, has >= 2 CPUs and the problem has <= 5000 items, else 1.
    """
    if time_limit is None or not (float(time_limit) > 0) or not math.isfinite(time_limit):
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    t0 = time.perf_counter()
    deadline = t0 + float(time_limit)
    try:
        model = Model(problem)
        model.check_max_distance()
    except Infeasible as e:
        return Result("infeasible", str(e), runtime=time.perf_counter() - t0)
    rng = np.random.default_rng(seed)
    st = _State(model, t0, progress)

    # ---- small: solve exactly ------------------------------------------------------
    if model.m <= EXACT_ITEMS:
        r = solve_mip(
            model,
            np.arange(model.m),
            np.arange(model.n),
            model.k,
            deadline - time.perf_counter(),
            rel_gap=0,
        )
        if r["status"] == "infeasible":
            return Result(
                "infeasible",
                "no clustering satisfies all constraints together (proved by the exact model)",
                runtime=time.perf_counter() - t0,
            )
        if r["assign"] is not None:
            st.offer(r["assign"], "exact")
            if r["status"] == "optimal":
                return st.result(r["cost"], "optimal", "solved exactly by MIP")
            if r["bound"] is not None:
                st.lb = r["bound"]
        if st.best is None:
            return Result(
                "infeasible",
                "no feasible clustering found within the time limit (infeasibility not proven)",
                runtime=time.perf_counter() - t0,
            )
        return st.result(st.lb, None, "time limit reached")

    # ---- construction --------------------------------------------------------------
    if initial_labels is not None:
        hub0 = _from_labels(model, initial_labels)
        if hub0 is not None:
            st.offer(hub0, "initial")
    if st.best is None:
        hub_of, msg = construct(model, rng, deadline)
        if hub_of is None:
            return Result("infeasible", msg, runtime=time.perf_counter() - t0)
        st.offer(hub_of, "construct")

    # ---- improvement ---------------------------------------------------------------
    flow_ok = (
        model.singletons
        and model.flag is None
        and model.lock is None
        and not model.cannot
        and (model.capacity is None or model.unit)
    )
    # the Lagrangian bound gets the end of the time limit (it is what lets a user judge
    # a proposal: "at most x % above the best possible")
    bound_time = _bound_time(model, deadline - time.perf_counter())
    search_deadline = deadline - bound_time
    n_workers = _workers(workers, model)
    if n_workers > 1 and _split_map(model):
        _improve(model, st, rng, t0, search_deadline, flow_ok, patience, split_map=True)
    elif n_workers > 1:
        _improve_parallel(model, st, seed, t0, search_deadline, flow_ok, patience, n_workers)
    else:
        _improve(model, st, rng, t0, search_deadline, flow_ok, patience)
    converged = st.converged if st.converged is not None else time.perf_counter() < search_deadline

    # ---- lower bound ---------------------------------------------------------------
    status = None
    remaining = deadline - time.perf_counter()
    # an LP cut by the time limit gives no bound, and HiGHS stops a little after the limit
    lp_fits = remaining > max(0.05, LP_SECONDS_PER_ITEM_SQUARED * model.m**2)
    if model.m <= LP_BOUND_ITEMS and lp_fits:
        r = solve_mip(
            model, np.arange(model.m), np.arange(model.n), model.k, remaining, lp_only=True
        )
        if r["status"] == "optimal":
            st.lb = r["bound"]
    elif bound_time > 0 and remaining > 0.2:
        lb = lagrangian_bound(model, st.best_cost, deadline)
        if lb is not None and math.isfinite(lb):
            st.lb = lb if st.lb is None else max(st.lb, lb)
    if st.best_cost <= 0:
        st.lb = 0.0  # costs are non-negative
    if st.lb is not None:
        lb = st.lb
        if _integral_costs(model):
            lb = math.ceil(lb - 1e-6)
        if st.best_cost <= lb + 1e-6 * max(1.0, abs(lb)):
            status = "optimal"
        st.lb = lb
    return st.result(
        st.lb,
        status,
        "proved optimal by the lower bound"
        if status
        else (
            "search converged (no improvement within patience) before the time limit"
            if converged
            else "time limit reached"
        ),
    )


def _bound_time(model, available: float) -> float:
    """Seconds kept for the lower bound at the end of the time limit.

    Up to LP_BOUND_ITEMS items: the LP relaxation's expected time when that is at most a
    tenth of the time (HiGHS: 0.05 s at 50 sites, 0.3 s at 100), else none: the search
    needs the time more, and the LP still runs if the search stops early. Must-link groups:
    none (no Lagrangian bound for them). Otherwise the Lagrangian bound gets about 2 s +
    1 s per 2,500 sites, at most a tenth of the time and 10 s (it converges in 3–6 s on
    3,000–5,000 sites, ~10 s on 20,000)."""
    if model.m <= LP_BOUND_ITEMS:
        expected = LP_SECONDS_PER_ITEM_SQUARED * model.m**2
        return expected if expected <= BOUND_SHARE * available else 0.0
    if not model.singletons or available <= 1.0:
        return 0.0
    return min(BOUND_MAX_SECONDS, BOUND_SHARE * available, 2.0 + model.n / 2500)


def _split_map(model) -> bool:
    return pair_applicable(model) and model.cur is None and partitionable(model)


def _improve(model, st, rng, t0, deadline, flow_ok, patience=None, split_map=False):
    ls = LocalSearch(model, st.best)
    pair_ok = pair_applicable(model)

    def descend(h, clusters=None, use_flow=True, phase=None):
        """Local search from ``h``; improvements are reported as ``phase`` when given."""
        ls.set_solution(h)
        if clusters is not None:
            near = ls.neighbour_hubs(clusters)
            ls.run(deadline, order_rng=rng, clusters=near)
        else:
            ls.run(deadline, order_rng=rng)
        st.offer(ls.hub_of(), phase or "local")
        if flow_ok and use_flow:
            for _ in range(20):
                if time.perf_counter() >= deadline:
                    break
                before = ls.total()
                a = flow_assign(model, ls.hub.copy())
                if a is None:
                    break
                ls.set_solution(a)
                ls.run(deadline, order_rng=rng)
                if ls.total() >= before - 1e-9:
                    break
        while pair_ok and time.perf_counter() < deadline:
            before = ls.total()
            n_imp = ls.pair_sweep(deadline, rng, clusters=clusters)
            if not n_imp or ls.total() >= before - 1e-9:
                break
            clusters = np.array(sorted(ls.changed), dtype=np.int64)
            ls.run(deadline, order_rng=rng, clusters=ls.neighbour_hubs(clusters))
            st.offer(ls.hub_of(), phase or "pair")
        return ls.hub_of(), ls.total()

    def fresh_start(until):
        """A new start elsewhere in the search space: a randomly rotated bisection,
        descended (None when the construction fails)."""
        h0, _ = construct(model, rng, until, angle=float(rng.uniform(0, np.pi)), allow_mip=False)
        if h0 is None:
            return None
        h, _ = descend(h0)
        st.offer(h, "restart")
        return h

    h, c = descend(st.best)
    st.offer(h, "descent")
    # multi-start from rotated bisections while it is cheap
    first = time.perf_counter() - t0
    starts = 0
    n_starts = 4 if model.m <= 1000 else 0
    while starts < n_starts and first * 3 < deadline - time.perf_counter():
        starts += 1
        fresh_start(deadline)
    if _DEBUG:
        print("starts", starts, time.perf_counter() - t0, st.best_cost)
    # iterated local search: re-bisect a random region of clusters, descend, keep if better
    cur = st.best.copy()
    cur_cost = st.best_cost
    it = 0
    dec = None
    last_impr = 0
    if patience is None:
        patience = max(300, 5 * model.k)
    if split_map:
        it = ils_partitioned(model, st, rng, deadline, patience)
        if _DEBUG:
            print("ils iterations (split map)", it, st.best_cost)
        return
    if pair_ok and model.cur is None and model.k >= 2:
        # the end of the time goes to an exact re-assignment of the best solution's sites
        reserve = 0.0
        if gap_assign_applicable(model):
            available = deadline - time.perf_counter()
            reserve = min(GAP_ASSIGN_SHARE * available, GAP_ASSIGN_MAX_SECONDS)
        ils_deadline = deadline - reserve
        start = None
        restart = 0
        lp = TransportLP(model) if hub_search_applicable(model) else None

        def reassign(hubs):
            if ils_deadline - time.perf_counter() < WALK_REASSIGN_MIN_SECONDS:
                return None
            assign = gap_assign(model, hubs, ils_deadline)
            return None if assign is None else descend(assign, phase="hubs")

        # The hub walk gets its turn early, after a share of the patience: if it fails, the
        # chain goes on from where it stopped for the rest of the patience, then restarts.
        early = patience if lp is None else max(1, patience // HUB_WALK_PATIENCE_DIVISOR)
        walked = set()
        running_on = False  # the chain runs on after a failed walk
        while True:
            rounds, reached = ils_in_place(
                model,
                st,
                rng,
                ils_deadline,
                patience - early if running_on else early,
                _check if _DEBUG else None,
                start=start,
            )
            it += rounds
            if time.perf_counter() >= ils_deadline or st.best_cost <= 0:
                break
            stopped_early = lp is not None and not running_on
            running_on = False
            hubs = frozenset(np.unique(reached).tolist())
            if lp is not None and hubs not in walked:
                walked.add(hubs)
                found = exchange_hubs(
                    model, reached, total_cost(model, reached), ils_deadline, reassign, lp=lp
                )
                if found:
                    start = found[0]
                    continue
            if stopped_early and patience > early:
                start, running_on = reached, True
                continue
            if restart == PATIENCE_RESTARTS:
                break
            restart += 1
            start = fresh_start(ils_deadline)
            if start is None:
                break
        st.converged = time.perf_counter() < ils_deadline
        if reserve:
            assign = gap_assign(model, np.unique(st.best), deadline)
            if assign is not None:
                st.offer(assign, "assign")
        if _DEBUG:
            print("ils iterations", it, "restarts", restart, st.best_cost)
        return
    while time.perf_counter() < deadline and it - last_impr < patience and cur_cost > 0:
        it += 1
        if pair_ok or model.k < 3:
            p = (
                rebisect(model, cur, rng)
                if (it % 2 or not pair_ok)
                else swap_perturb(model, cur, rng)
            )
            if p is None:
                continue
            if model.cur is not None:
                fixed = fix_hub_labels(model, p[0])
                if fixed is None:
                    continue
                p = (fixed, np.unique(fixed[np.isin(p[0], p[1])]))
            if _DEBUG:
                _check(model, p[0], f"perturb{it % 2}")
            h, c = descend(p[0], clusters=p[1], use_flow=False)
            if _DEBUG:
                _check(model, h, "descend")
            if c <= cur_cost + 1e-9:
                if c < cur_cost - 1e-9:
                    last_impr = it
                cur, cur_cost = h.copy(), c
                st.offer(h, "ils")
        else:
            if dec is None:
                dec = Decomposer(model, rng, sub_sites=10**9, max_clusters=2, sub_time=1.0)
            h, improved = dec.sweep(
                st.best.copy(), deadline, on_improve=lambda x: st.offer(x, "mip")
            )
            if improved:
                h, c = descend(st.best.copy())
                st.offer(h, "descent")
                dec.max_clusters = 2
            else:
                if dec.max_clusters >= min(4, model.k):
                    break
                dec.max_clusters += 1
    if _DEBUG:
        print("ils iterations", it, st.best_cost)


def _workers(workers, model) -> int:
    if workers is not None:
        return max(1, int(workers))
    if not pair_applicable(model) or sys.platform != "linux":
        return 1
    if model.m > PARALLEL_MAX_ITEMS and not _split_map(model):
        return 1
    if threading.active_count() > 1 or (os.cpu_count() or 1) < 2:
        return 1
    return 2


def _chain(model, seed, t0, deadline, flow_ok, patience, start, conn):
    try:
        st = _State(model, t0, None)
        st.offer(start, "start")
        _improve(model, st, np.random.default_rng(seed), t0, deadline, flow_ok, patience)
        conn.send((st.best, st.best_cost, st.history))
    except BaseException as e:  # pragma: no cover - reported to the parent
        conn.send(e)
    finally:
        conn.close()


def _improve_parallel(model, st, seed, t0, deadline, flow_ok, patience, n_workers):
    """Run n_workers - 1 extra search chains in forked processes, one here; keep the best
    (ties go to the lowest chain index, so results are reproducible)."""
    start = st.best.copy()
    procs = [
        forking.start(_chain, (model, seed + 1000 * w, t0, deadline, flow_ok, patience, start))
        for w in range(1, n_workers)
    ]
    _improve(model, st, np.random.default_rng(seed), t0, deadline, flow_ok, patience)
    for proc, recv in procs:
        got = forking.collect(proc, recv, deadline)
        if isinstance(got, tuple):
            best, cost, hist = got
            if cost < st.best_cost - 1e-9 * max(1.0, abs(cost)):
                st.best, st.best_cost = best, cost
                st.history = sorted(st.history + [h for h in hist if h[1] < st.history[-1][1]])
                # keep history monotone
                mono, last = [], math.inf
                for t, o in st.history:
                    if o < last - 1e-12:
                        mono.append((t, o))
                        last = o
                st.history = mono
                if st.progress is not None:
                    st.progress(time.perf_counter() - st.t0, st.history[-1][1], "parallel")


def _integral_costs(model: Model) -> bool:
    pb = model.pb
    if pb.distance == "floor" or (
        pb.distance == "matrix" and np.all(pb.metric.matrix == np.round(pb.metric.matrix))
    ):
        return model.site_w is None and float(model.move_cost).is_integer()
    return False


def _from_labels(model: Model, labels):
    labels = np.asarray(labels)
    if labels.shape != (model.n,):
        raise ValueError(f"initial_labels must have length {model.n}")
    item_lab = labels[model.members_first]
    if not model.singletons:
        for g in range(model.m):
            if len(np.unique(labels[model.members[g]])) > 1:
                return None
    labs = np.unique(item_lab)
    if len(labs) != model.k:
        return None
    hub_of = np.full(model.m, -1, np.int64)
    for lab in labs:
        items = np.nonzero(item_lab == lab)[0]
        h, c = best_hub(model, items)
        if not leaf_ok(model, items, h, c):
            return None
        hub_of[items] = h
    return hub_of


class _State:
    def __init__(self, model: Model, t0, progress):
        self.model = model
        self.t0 = t0
        self.progress = progress
        self.best = None
        self.best_cost = math.inf
        self.lb = None
        self.history = []
        self.converged = None  # set by a chain that knows why it stopped (patience or time)

    def offer(self, hub_of, phase):
        if _DEBUG:
            _check(self.model, hub_of, phase)
        c = total_cost(self.model, hub_of)
        if c < self.best_cost - 1e-9 * max(1.0, abs(c)):
            self.best = np.array(hub_of, dtype=np.int64, copy=True)
            self.best_cost = c
            t = time.perf_counter() - self.t0
            obj = self._objective(self.best)
            self.history.append((t, obj))
            if self.progress is not None:
                self.progress(t, obj, phase)

    def _objective(self, hub_of):
        m = self.model
        if m.singletons:
            return float(m.metric.pair(np.arange(m.n), hub_of).sum())
        site_hub = hub_of[m.item_of]
        return float(m.metric.pair(np.arange(m.n), site_hub).sum())

    def result(self, lb, status, message):
        m = self.model
        site_hub = self.best[m.item_of]
        hubs = np.unique(site_hub)
        k = len(hubs)
        order = _label_order(m, hubs, site_hub)
        hubs = hubs[order]
        pos = np.empty(m.n, np.int64)
        pos[hubs] = np.arange(k)
        labels = pos[site_hub]
        cost = self.best_cost
        obj = self._objective(self.best)
        gap = None
        if lb is not None:
            gap = max(0.0, (cost - lb) / cost) if cost > 0 else 0.0
        moves = None
        if m.pb.current_labels is not None:
            moves = count_moves(m.pb.current_labels, labels)
        if status is None:
            status = "feasible"
        return Result(
            status,
            message,
            labels,
            hubs,
            obj,
            cost,
            lb,
            gap,
            time.perf_counter() - self.t0,
            k,
            moves,
            list(self.history),
        )


def _label_order(m: Model, hubs, site_hub):
    """Order of clusters: locked label L -> index L (or current label of the hub in
    incremental mode) when those labels fit in 0..k-1; the rest by hub index."""
    k = len(hubs)
    want = np.full(k, -1)
    src = None
    if m.pb.locked is not None and (m.pb.locked >= 0).any():
        src = m.pb.locked
    elif m.pb.current_labels is not None:
        src = m.pb.current_labels
    if src is not None:
        hub_pos = {int(h): c for c, h in enumerate(hubs)}
        for c, h in enumerate(hubs):
            labs = src[site_hub == h] if src is m.pb.locked else np.array([src[h]])
            labs = labs[labs >= 0]
            if len(labs) and 0 <= labs[0] < k:
                want[c] = labs[0]
        del hub_pos
    order = np.full(k, -1)
    taken = np.zeros(k, bool)
    for c in range(k):
        if want[c] >= 0 and order[want[c]] < 0:
            order[want[c]] = c
            taken[c] = True
    rest = iter([c for c in range(k) if not taken[c]])
    for i in range(k):
        if order[i] < 0:
            order[i] = next(rest)
    return order


def _check(model, hub_of, phase):
    hubs, a = np.unique(hub_of, return_inverse=True)
    assert len(hubs) == model.k, (phase, "k")
    for c, h in enumerate(hubs):
        items = np.nonzero(a == c)[0]
        assert hub_of[model.item_of[h]] == h, (phase, "hub not member")
        cst = model.item_cost(items, np.full(len(items), h)).sum()
        assert leaf_ok(model, items, h, cst), (phase, "cluster", c, model.q[items].sum())


def count_moves(current, labels) -> int:
    """Sites that left their current cluster: each current cluster is matched to the new
    cluster holding most of its sites (a cluster matched at most once, greedily by
    overlap); every other site with a current label >= 0 counts as moved."""
    current = np.asarray(current)
    labels = np.asarray(labels)
    sel = current >= 0
    if not sel.any():
        return 0
    pairs, cnt = np.unique(np.stack([current[sel], labels[sel]]), axis=1, return_counts=True)
    order = np.argsort(-cnt, kind="stable")
    used_old, used_new = set(), set()
    kept = 0
    for t in order:
        o, nw = int(pairs[0, t]), int(pairs[1, t])
        if o in used_old or nw in used_new:
            continue
        used_old.add(o)
        used_new.add(nw)
        kept += int(cnt[t])
    return int(sel.sum()) - kept
