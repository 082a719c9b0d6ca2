"""Child process: build a ``Problem`` from ``<job>/in.*``, solve, write ``<job>/out.*``.

Run by ``common.run_engine``; not meant to be called by hand.
"""

import inspect
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np


def main(job: Path) -> None:
    snapshot = os.environ.get("CW_BENCH_ENGINE_DIR")
    if snapshot:
        # A frozen copy of the engine (see common.engine_snapshot).
        sys.path.insert(0, snapshot)
        from cw_engine import Problem, solve
    else:
        from clusterwork.formation import Problem, solve

    spec = json.loads((job / "in.json").read_text())
    with np.load(job / "in.npz") as z:
        arrays = {k: z[k] for k in z.files}
    kwargs = dict(spec["kwargs"])
    xy = arrays["xy"]
    if "demand" in arrays:
        kwargs["demand"] = arrays["demand"]
    if "matrix" in arrays:
        kwargs["distance"] = arrays["matrix"]
    # Real data has co-located sites (schools sharing a campus, repeated CPMP points);
    # accept them where the engine asks for an explicit opt-in.
    if "allow_duplicates" in inspect.signature(Problem).parameters:
        kwargs.setdefault("allow_duplicates", True)

    c0 = time.process_time() + _children_cpu()
    t0 = time.perf_counter()
    problem = Problem(xy, **kwargs)
    t1 = time.perf_counter()
    result = solve(problem, time_limit=spec["time_limit"], seed=spec["seed"])
    t2 = time.perf_counter()
    # CPU time of the whole process (all threads) and of the helper processes the engine
    # forks on two cores (reaped before solve returns): much less skewed than wall time
    # when other work shares the machine's cores.
    cpu = time.process_time() + _children_cpu() - c0

    def num(name):
        v = getattr(result, name, None)
        return None if v is None else float(v)

    labels = getattr(result, "labels", None)
    hubs = getattr(result, "hubs", None)
    history = [(float(s), float(o)) for s, o in (getattr(result, "history", None) or [])]
    out = {
        "ok": True,
        "status": str(getattr(result, "status", "")),
        "message": str(getattr(result, "message", "") or ""),
        "objective": num("objective"),
        "lower_bound": num("lower_bound"),
        "gap": num("gap"),
        "runtime": num("runtime"),
        "n_clusters": None if labels is None else int(len(np.unique(labels))),
        "history": history,
        "build_seconds": t1 - t0,
        "solve_seconds": t2 - t1,
        "seconds": t2 - t0,
        "cpu_seconds": cpu,
        "engine_module": sys.modules[solve.__module__].__file__,
        "self_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }
    arrays_out = {}
    if labels is not None:
        arrays_out["labels"] = np.asarray(labels, dtype=np.int64)
    if hubs is not None:
        arrays_out["hubs"] = np.asarray(hubs, dtype=np.int64)
    np.savez(job / "out.npz", **arrays_out)
    (job / "out.json").write_text(json.dumps(out))


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


if __name__ == "__main__":
    main(Path(sys.argv[1]))
