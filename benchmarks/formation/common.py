"""Shared pieces of the cluster-formation benchmarks.

Every solver (ours and k-means-constrained) runs in a child process so that a hang, a
crash or a memory blow-up cannot take the harness down, and so that each run's peak
memory is that process's own (``os.wait4`` rusage). Every answer is re-checked here
from the labels alone: the solvers' own objective values are never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/machine_info.py, shared by all benchmarks

from machine_info import cpu_model, ram_gib  # noqa: E402

SHARED = Path(os.environ.get("CLUSTERWORK_SHARED", REPO.parent / "shared"))
CPMP_DIR = SHARED / "data" / "cpmp"
GIAS_CSV = SHARED / "data" / "gias" / "derived" / "edubase_format_england_open_statefunded.csv"
OUT_DIR = REPO / "benchmarks" / "out" / "formation"
KMC_PYTHON = REPO / "benchmarks" / ".venv-kmc" / "bin" / "python"
ENGINE_PYTHON = Path(sys.executable)

# Rounding slack when comparing recomputed objectives with what a solver reports.
REL_TOL = 1e-6


# --------------------------------------------------------------------------- children


def _run_child(argv, job_dir: Path, timeout: float, mem_limit_bytes: int | None = None):
    """Run ``argv`` and return (returncode, wall seconds, peak RSS MiB, timed_out, stderr)."""

    def limit():
        os.setsid()
        if mem_limit_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (mem_limit_bytes, mem_limit_bytes))

    err_path = job_dir / "stderr.txt"
    t0 = time.perf_counter()
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(argv, stdout=err, stderr=subprocess.STDOUT, preexec_fn=limit)
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    peak_mib = usage.ru_maxrss / 1024.0  # Linux reports KiB
    tail = err_path.read_text(errors="replace")[-3000:]
    return proc.returncode, wall, peak_mib, timed_out.is_set(), tail


def run_engine(
    xy,
    *,
    time_limit: float,
    seed: int = 0,
    demand=None,
    matrix=None,
    hard_timeout: float | None = None,
    **kwargs,
) -> dict:
    """Solve with ``clusterwork.formation`` in a child process; returns a dict of results.

    ``kwargs`` go to ``Problem`` as they are. Keys of the answer: ok, error, labels,
    hubs, objective, lower_bound, gap, status, message, history, n_clusters,
    build_seconds, solve_seconds, seconds (build + solve, measured around the calls
    in the child), child_wall_seconds (including interpreter start and imports),
    peak_mib.
    """
    with tempfile.TemporaryDirectory(prefix="cw-bench-") as tmp:
        job = Path(tmp)
        arrays = {"xy": np.asarray(xy, dtype=float)}
        if demand is not None:
            arrays["demand"] = np.asarray(demand, dtype=float)
        if matrix is not None:
            arrays["matrix"] = np.asarray(matrix, dtype=float)
        np.savez(job / "in.npz", **arrays)
        (job / "in.json").write_text(
            json.dumps({"time_limit": time_limit, "seed": seed, "kwargs": kwargs})
        )
        timeout = hard_timeout or (3 * time_limit + 120)
        rc, wall, peak, timed_out, tail = _run_child(
            [str(ENGINE_PYTHON), str(HERE / "_engine_worker.py"), str(job)], job, timeout
        )
        out = _collect(job, rc, wall, peak, timed_out, tail)
        # 1-minute load average when the run ended: other work on the machine skews times.
        out["load_after"] = os.getloadavg()
        return out


def run_kmc(
    xy,
    *,
    n_clusters: int,
    size_min: int,
    size_max: int,
    seed: int = 0,
    timeout: float = 3600,
    mem_limit_bytes: int | None = None,
    use_cache: bool = True,
) -> dict:
    """Fit ``KMeansConstrained`` (its defaults apart from ``random_state``) in its own venv.

    KMC's answer does not depend on our engine, and at n=5,000 it takes minutes, so each
    run (success or failure) is kept under ``benchmarks/out/formation/kmc_cache`` keyed by
    the points and parameters; ``use_cache=False`` measures afresh.
    """
    if not KMC_PYTHON.exists():
        return {"ok": False, "error": f"k-means-constrained venv missing ({KMC_PYTHON})"}
    xy = np.ascontiguousarray(xy, dtype=float)
    params = [n_clusters, size_min, size_max, seed, timeout, mem_limit_bytes]
    key = hashlib.sha1(xy.tobytes() + json.dumps(params).encode()).hexdigest()[:16]
    cache = OUT_DIR / "kmc_cache" / key
    if use_cache and (cache / "result.json").exists():
        out = json.loads((cache / "result.json").read_text())
        if (cache / "labels.npy").exists():
            out["labels"] = np.load(cache / "labels.npy")
        out["cached"] = True
        return out
    out = _run_kmc(xy, n_clusters, size_min, size_max, seed, timeout, mem_limit_bytes)
    out["load_during"] = os.getloadavg()
    cache.mkdir(parents=True, exist_ok=True)
    if "labels" in out:
        np.save(cache / "labels.npy", out["labels"])
    (cache / "result.json").write_text(
        json.dumps({k: v for k, v in out.items() if k != "labels"}, default=_jsonable)
    )
    return out


def _run_kmc(xy, n_clusters, size_min, size_max, seed, timeout, mem_limit_bytes) -> dict:
    with tempfile.TemporaryDirectory(prefix="cw-kmc-") as tmp:
        job = Path(tmp)
        np.savez(job / "in.npz", xy=np.asarray(xy, dtype=float))
        (job / "in.json").write_text(
            json.dumps(
                {"n_clusters": n_clusters, "size_min": size_min, "size_max": size_max, "seed": seed}
            )
        )
        rc, wall, peak, timed_out, tail = _run_child(
            [str(KMC_PYTHON), str(HERE / "_kmc_worker.py"), str(job)], job, timeout, mem_limit_bytes
        )
        return _collect(job, rc, wall, peak, timed_out, tail)


def _collect(job: Path, rc, wall, peak, timed_out, tail) -> dict:
    out = {"child_wall_seconds": wall, "peak_mib": peak, "returncode": rc}
    res_json = job / "out.json"
    if rc != 0 or not res_json.exists():
        why = "timed out (killed)" if timed_out else f"exit code {rc}"
        last = [ln for ln in tail.strip().splitlines() if ln.strip()][-3:]
        out.update(ok=False, error=f"{why}: {' | '.join(last)}"[:400])
        return out
    out.update(json.loads(res_json.read_text()))
    with np.load(job / "out.npz") as z:
        for key in z.files:
            out[key] = z[key]
    out.setdefault("ok", True)
    return out


# --------------------------------------------------------------------------- distances


def pair_dist(xy, a, b, convention: str = "euclidean", matrix=None):
    """Distances between sites ``a[i]`` and ``b[i]`` under a CPMP distance convention."""
    a = np.asarray(a)
    b = np.asarray(b)
    if convention == "matrix":
        return matrix[a, b]
    d = np.hypot(xy[a, 0] - xy[b, 0], xy[a, 1] - xy[b, 1])
    return np.floor(d) if convention == "floor" else d


def clusters_of(labels) -> list[np.ndarray]:
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    cuts = np.nonzero(np.diff(labels[order]))[0] + 1
    return np.split(order, cuts)


def best_hub_objective(xy, labels) -> tuple[float, np.ndarray]:
    """Hub objective of a partition: each cluster's hub is the member with the least total
    Euclidean distance to the other members; returns (sum of member-to-hub, hub per site)."""
    xy = np.asarray(xy, dtype=float)
    hub_of = np.empty(len(xy), dtype=int)
    total = 0.0
    for members in clusters_of(labels):
        p = xy[members]
        d = np.hypot(p[:, None, 0] - p[None, :, 0], p[:, None, 1] - p[None, :, 1])
        s = d.sum(axis=1)
        j = int(np.argmin(s))
        total += float(s[j])
        hub_of[members] = members[j]
    return total, hub_of


def check_partition(labels, n, *, min_size=None, max_size=None, n_clusters=None) -> list[str]:
    """Problems with a size-bounded partition (empty list when it is valid)."""
    problems = []
    labels = np.asarray(labels)
    if labels.shape != (n,):
        return [f"labels has shape {labels.shape}, expected ({n},)"]
    if (labels < 0).any():
        problems.append(f"{int((labels < 0).sum())} site(s) unassigned")
        return problems
    sizes = np.bincount(labels)
    sizes = sizes[sizes > 0]
    if n_clusters is not None and len(sizes) != n_clusters:
        problems.append(f"{len(sizes)} clusters, expected {n_clusters}")
    if min_size is not None and sizes.min() < min_size:
        problems.append(f"{int((sizes < min_size).sum())} cluster(s) below {min_size} sites")
    if max_size is not None and sizes.max() > max_size:
        problems.append(f"{int((sizes > max_size).sum())} cluster(s) above {max_size} sites")
    return problems


def check_hubs(labels, hubs) -> list[str]:
    """The reported hub of every cluster must be one of its own members."""
    labels = np.asarray(labels)
    hubs = np.asarray(hubs)
    used = np.unique(labels)
    if used.max() >= len(hubs):
        return [f"label {int(used.max())} has no hub ({len(hubs)} hubs)"]
    bad = [int(c) for c in used if labels[hubs[c]] != c]
    return [f"{len(bad)} hub(s) outside their own cluster"] if bad else []


def reported_matches(reported, recomputed) -> bool:
    if reported is None:
        return False
    return abs(float(reported) - recomputed) <= REL_TOL * max(1.0, abs(recomputed)) + 0.01


# --------------------------------------------------------------------------- output


def fmt(v, digits=2, none="—"):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return none
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, int | np.integer):
        return f"{int(v):,}"
    if isinstance(v, float | np.floating):
        return f"{float(v):,.{digits}f}"
    return str(v)


def table(headers, rows) -> str:
    """A GitHub-flavoured markdown table (prints readably in a terminal too)."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells
    ]
    return "\n".join([line, sep, *body])


def save_json(name: str, payload) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=1, default=_jsonable))
    return path


def load_json(name: str):
    path = OUT_DIR / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _jsonable(o):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o))


def machine() -> dict:
    cpu = cpu_model() or "unknown"
    ram = ram_gib()
    ram = None if ram is None else round(ram, 1)
    kmc = None
    if KMC_PYTHON.exists():
        try:
            kmc = subprocess.run(
                [
                    str(KMC_PYTHON),
                    "-c",
                    "import importlib.metadata as m, numpy, ortools; print("
                    "m.version('k-means-constrained'), numpy.__version__, ortools.__version__)",
                ],
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            kmc = None
    import scipy

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": ram,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "kmc_versions(kmc numpy ortools)": kmc,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# --------------------------------------------------------------------------- data


def load_england() -> tuple[np.ndarray, np.ndarray]:
    """All open state-funded schools in England with coordinates: (xy metres, LA names).

    Rows without an Easting/Northing (two in the 2025 extract) are left out.
    """
    import csv

    xy, las = [], []
    with open(GIAS_CSV, encoding="cp1252", newline="") as f:
        for row in csv.DictReader(f):
            e, n = row["Easting"].strip(), row["Northing"].strip()
            if not e or not n:
                continue
            xy.append((float(e), float(n)))
            las.append(row["LA (name)"])
    return np.array(xy), np.array(las)


def uniform_points(n: int, side_m: float = 100_000.0, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.0, side_m, size=(n, 2))


# --------------------------------------------------------------------------- engine version

ENGINE_SRC = REPO / "src" / "clusterwork" / "formation" / "engine"
SNAPSHOT_ENV = "CW_BENCH_ENGINE_DIR"


def engine_snapshot() -> dict:
    """Freeze the engine's source for this benchmark run and say which version it is.

    The engine may be edited while a long run is going; every child then imports the
    same copy (``<dir>/cw_engine``), and the results name it by a hash of its sources.
    Reuses the snapshot already chosen by a parent process (``CW_BENCH_ENGINE_DIR``).
    """
    import hashlib
    import shutil

    if os.environ.get(SNAPSHOT_ENV):
        root = Path(os.environ[SNAPSHOT_ENV])
        return json.loads((root / "engine.json").read_text())
    files = sorted(ENGINE_SRC.glob("*.py"))
    digest = hashlib.sha1()
    for f in files:
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    sha = digest.hexdigest()[:12]
    root = OUT_DIR / "engine_snapshot" / sha
    pkg = root / "cw_engine"
    if not pkg.exists():
        pkg.mkdir(parents=True)
        for f in files:
            shutil.copy2(f, pkg / f.name)
    info = {
        "engine_sha1": sha,
        "engine_files": {
            f.name: time.strftime("%H:%M", time.gmtime(f.stat().st_mtime)) for f in files
        },
        "snapshot": str(pkg),
    }
    (root / "engine.json").write_text(json.dumps(info))
    os.environ[SNAPSHOT_ENV] = str(root)
    return info
