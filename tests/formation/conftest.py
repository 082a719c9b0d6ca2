"""Independent checkers for the formation engine tests (no engine code reused)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

# the shared data sets, read where they are (the product's CLUSTERWORK_DATA, same default)
SHARED_DATA = Path(
    os.environ.get("CLUSTERWORK_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)
ORLIB = SHARED_DATA / "cpmp" / "instances" / "orlib"


def orlib(name):
    """(xy, capacity, demand, p) of an OR-Library pmedcap instance (``cpmp01``..``cpmp20``)."""
    tok = (ORLIB / f"{name}.txt").read_text().split()
    n, p = int(tok[0]), int(tok[1])
    a = np.array(tok[2 : 2 + 4 * n], float).reshape(n, 4)
    return a[:, :2], a[0, 2], a[:, 3], p


def dist_matrix(xy, kind="euclidean"):
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    return np.floor(d + 1e-9) if kind == "floor" else d


def check_solution(
    xy,
    res,
    *,
    k=None,
    min_size=1,
    max_size=None,
    demand=None,
    capacity=None,
    must_link=(),
    cannot_link=(),
    need_flag=None,
    max_distance=None,
    locked=None,
    kind="euclidean",
):
    """Assert that ``res`` is a feasible answer; return its recomputed objective."""
    n = len(xy)
    labels = np.asarray(res.labels)
    hubs = np.asarray(res.hubs)
    assert labels.shape == (n,)
    kk = len(hubs)
    if k is not None:
        assert kk == k
    assert set(labels.tolist()) == set(range(kk)), "labels must be 0..k-1, all used"
    assert len(set(hubs.tolist())) == kk
    assert (labels[hubs] == np.arange(kk)).all(), "each hub is a member of its cluster"
    sizes = np.bincount(labels, minlength=kk)
    assert sizes.min() >= min_size
    if max_size is not None:
        assert sizes.max() <= max_size
    if capacity is not None:
        loads = np.bincount(labels, weights=demand, minlength=kk)
        assert loads.max() <= capacity + 1e-9
    for g in must_link:
        assert len(set(labels[list(g)].tolist())) == 1
    for a, b in cannot_link:
        assert labels[a] != labels[b]
    if need_flag is not None:
        assert all(np.asarray(need_flag)[labels == c].any() for c in range(kk))
    d = np.sqrt(((xy - xy[hubs[labels]]) ** 2).sum(1))
    if kind == "floor":
        d = np.floor(d + 1e-9)
    if max_distance is not None:
        assert d.max() <= max_distance + 1e-9
    if locked is not None:
        locked = np.asarray(locked)
        for lab in np.unique(locked[locked >= 0]):
            assert len(set(labels[locked == lab].tolist())) == 1
        labs = {}
        for i in np.nonzero(locked >= 0)[0]:
            labs.setdefault(labels[i], set()).add(int(locked[i]))
        assert all(len(v) == 1 for v in labs.values())
    obj = float(d.sum())
    assert res.objective == pytest.approx(obj, rel=1e-9, abs=1e-6)
    return obj


def restricted_growth(n, kmax):
    """All set partitions of n elements into at most kmax blocks (as label vectors)."""
    a = [0] * n

    def rec(i, m):
        if i == n:
            yield tuple(a)
            return
        for v in range(min(m + 1, kmax)):
            a[i] = v
            yield from rec(i + 1, max(m, v + 1))

    yield from rec(1, 1) if n else iter([()])


def brute_force(
    xy,
    k,
    *,
    min_size=1,
    max_size=None,
    demand=None,
    capacity=None,
    must_link=(),
    cannot_link=(),
    need_flag=None,
    max_distance=None,
    kind="euclidean",
):
    """Exact optimum by enumerating every partition into exactly k clusters."""
    n = len(xy)
    D = dist_matrix(xy, kind)
    max_size = n if max_size is None else max_size
    best = np.inf
    for lab in restricted_growth(n, k):
        lab = np.array(lab)
        if lab.max() + 1 != k:
            continue
        ok = True
        for g in must_link:
            if len(set(lab[list(g)].tolist())) != 1:
                ok = False
                break
        if not ok or any(lab[a] == lab[b] for a, b in cannot_link):
            continue
        total = 0.0
        for c in range(k):
            mem = np.nonzero(lab == c)[0]
            if not min_size <= len(mem) <= max_size:
                ok = False
                break
            if capacity is not None and demand[mem].sum() > capacity + 1e-9:
                ok = False
                break
            if need_flag is not None and not np.asarray(need_flag)[mem].any():
                ok = False
                break
            sub = D[np.ix_(mem, mem)]
            if max_distance is not None:
                sub = np.where(sub <= max_distance + 1e-9, sub, np.inf)
            cost = sub.sum(axis=0).min()
            if not np.isfinite(cost):
                ok = False
                break
            total += cost
            if total >= best:
                ok = False
                break
        if ok:
            best = total
    return best


@pytest.fixture
def check():
    return check_solution


@pytest.fixture
def brute():
    return brute_force
