"""Child process run with ``benchmarks/.venv-kmc/bin/python``: fit ``KMeansConstrained``
on ``<job>/in.npz`` and write the labels and the fit time to ``<job>/out.*``.

Everything is left at the library's defaults (n_init=10, max_iter=300, k-means++ init,
n_jobs=1) except ``random_state``, fixed for repeatability.
"""

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np


def main(job: Path) -> None:
    from k_means_constrained import KMeansConstrained

    spec = json.loads((job / "in.json").read_text())
    with np.load(job / "in.npz") as z:
        xy = z["xy"]
    model = KMeansConstrained(
        n_clusters=spec["n_clusters"],
        size_min=spec["size_min"],
        size_max=spec["size_max"],
        random_state=spec["seed"],
    )
    c0 = time.process_time()
    t0 = time.perf_counter()
    model.fit(xy)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    np.savez(job / "out.npz", labels=np.asarray(model.labels_, dtype=np.int64))
    (job / "out.json").write_text(
        json.dumps(
            {
                "ok": True,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "self_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
