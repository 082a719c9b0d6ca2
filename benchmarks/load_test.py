"""Load test: many people opening Clusterwork at once, against a multi-worker gunicorn on
PostgreSQL with the generated national load data.

    .venv/bin/python benchmarks/load_test.py [--users 50] [--duration 60] [--workers 4]
        [--schools 22000 --clusters 4000] [--write-docs] [--keep]

Creates a dedicated database (``cw_bench_load``), fills it with ``clusterwork
generate-load-data``, starts ``clusterwork serve`` (gunicorn, DEBUG off) on 127.0.0.1:8717,
then runs ``--users`` simulated people for ``--duration`` seconds: each signs in through
the real sign-in form, then browses (home, programmes, clusters, a cluster, its meetings
and engagement, people, schools) and writes (a coordinator changes their cluster's region
through the real form, with its CSRF token), with a think time of 0.5–2 s. It reports p50
and p95 per page and the error count as a table; ``--write-docs`` puts it in
docs/benchmarks.md. Traffic goes only to 127.0.0.1; the run stops by itself (a bounded
number of requests per user and the duration), and the server and database are removed
at the end unless ``--keep``. Goal: 0 errors and p95 ≤ 500 ms at 50 users on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests
from machine_info import cpu_model, ram_gib

ROOT = Path(__file__).resolve().parent.parent
CLUSTERWORK = str(Path(sys.executable).parent / "clusterwork")
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = "cw_bench_load"
PORT = 8717
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "load-test-password"
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- load:start -->", "<!-- load:end -->"
MAX_REQUESTS_PER_USER = 400


def run(*args, env=None, check=True):
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def psql(sql: str) -> None:
    run("psql", PG_SERVER + "/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql)


def server_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.update(
        DATABASE_URL=f"{PG_SERVER}/{DB}",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        MFA_REQUIRED_FOR_ADMINS="0",  # the simulated admins have no authenticator app
        CLUSTERWORK_VAR=str(ROOT / "var" / "bench-load"),
    )
    return env


class Stats:
    def __init__(self):
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.lock = threading.Lock()

    def record(self, name: str, seconds: float, ok: bool):
        with self.lock:
            self.times[name].append(seconds)
            if not ok:
                self.errors[name] += 1


def csrf(session: requests.Session, html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else session.cookies.get("csrftoken", "")


def timed(stats, session, name, method, path, **kwargs):
    started = time.perf_counter()
    try:
        response = session.request(method, BASE + path, timeout=30, **kwargs)
        ok = response.status_code < 400
    except requests.RequestException:
        response, ok = None, False
    stats.record(name, time.perf_counter() - started, ok)
    return response


def person(stats: Stats, email: str, cluster_id: int, writer: bool, stop_at: float, seed: int):
    rng = random.Random(seed)
    session = requests.Session()
    page = timed(stats, session, "sign-in page", "GET", "/login/")
    if page is None:
        return
    signed = timed(
        stats,
        session,
        "sign in (POST)",
        "POST",
        "/login/",
        data={
            "login": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf(session, page.text),
        },
        headers={"Referer": BASE + "/login/"},
    )
    if signed is None:
        return
    pages = [
        ("home", "/"),
        ("programmes", "/programmes/"),
        ("clusters", "/clusters/"),
        ("cluster", f"/clusters/{cluster_id}/"),
        ("cluster meetings", f"/meetings/cluster/{cluster_id}/"),
        ("cluster engagement", f"/meetings/engagement/cluster/{cluster_id}/"),
        ("people", "/people/"),
        ("schools", "/schools/?q=primary"),
    ]
    for _ in range(MAX_REQUESTS_PER_USER):
        if time.monotonic() >= stop_at:
            break
        if writer and rng.random() < 0.2:
            form = timed(
                stats, session, "cluster edit form", "GET", f"/clusters/{cluster_id}/edit/"
            )
            if form is not None and form.status_code == 200:
                name = re.search(r'name="name"[^>]*value="([^"]*)"', form.text)
                kind = re.search(r'<option value="([^"]+)"[^>]*selected', form.text)
                timed(
                    stats,
                    session,
                    "cluster edit (POST)",
                    "POST",
                    f"/clusters/{cluster_id}/edit/",
                    data={
                        "csrfmiddlewaretoken": csrf(session, form.text),
                        "name": name.group(1) if name else "Cluster",
                        "kind": kind.group(1) if kind else "subject_network",
                        "region": f"Region {rng.randint(1, 99)}",
                        "status": "active",
                    },
                    headers={"Referer": BASE + f"/clusters/{cluster_id}/edit/"},
                )
        else:
            label, path = rng.choice(pages)
            timed(stats, session, label, "GET", path)
        time.sleep(rng.uniform(0.5, 2.0))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--schools", type=int, default=22_000)
    parser.add_argument("--clusters", type=int, default=4_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="use an existing cw_bench_load")
    opts = parser.parse_args()
    env = server_env()
    if not opts.reuse:
        psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        psql(f"CREATE DATABASE {DB}")
        print("migrating …", flush=True)
        run(CLUSTERWORK, "migrate", "--no-input", "-v", "0", env=env)
        print("generating load data …", flush=True)
        started = time.monotonic()
        done = run(
            CLUSTERWORK,
            "generate-load-data",
            "--schools",
            str(opts.schools),
            "--clusters",
            str(opts.clusters),
            "--years",
            str(opts.years),
            env=env,
        )
        print(done.stdout.strip().splitlines()[-1], f"({time.monotonic() - started:.0f} s)")
    run(CLUSTERWORK, "collectstatic", "--no-input", "-v", "0", env=env)
    ids = run(
        CLUSTERWORK,
        "shell",
        "-c",
        "from clusterwork.clusters.models import Cluster;"
        "ids = Cluster.objects.order_by('pk').values_list('pk', flat=True)[:200];"
        "print(' '.join(str(i) for i in ids))",
        env=env,
    ).stdout.split()
    cluster_ids = [int(i) for i in ids]
    server = subprocess.Popen(
        [CLUSTERWORK, "serve", "--bind", f"127.0.0.1:{PORT}", "--workers", str(opts.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                requests.get(BASE + "/login/", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.3)
        load_before = os.getloadavg()[0]
        stats = Stats()
        stop_at = time.monotonic() + opts.duration
        threads = []
        for n in range(opts.users):
            # One in five is the programme admin (reads everything), the rest the coordinator
            # of the first cluster (reads and writes it): the two logins the data set has.
            admin = n % 5 == 0
            email = "load-admin@example.org" if admin else "load-coordinator@example.org"
            cluster = cluster_ids[n % len(cluster_ids)] if admin else cluster_ids[0]
            thread = threading.Thread(
                target=person, args=(stats, email, cluster, not admin, stop_at, n), daemon=True
            )
            threads.append(thread)
            thread.start()
            time.sleep(opts.duration / opts.users / 4)  # ramp up over the first quarter
        for thread in threads:
            thread.join(timeout=opts.duration + 60)
    finally:
        server.terminate()
        server.wait(timeout=20)
    rows = []
    total = errors = 0
    for name in sorted(stats.times):
        values = stats.times[name]
        total += len(values)
        errors += stats.errors[name]
        rows.append(
            f"| {name} | {len(values)} | {statistics.median(values) * 1000:.0f} | "
            f"{percentile(values, 0.95) * 1000:.0f} | {stats.errors[name]} |"
        )
    everything = [v for values in stats.times.values() for v in values]
    machine = (
        f"Machine: {os.cpu_count()} CPUs, {cpu_model() or 'unknown CPU'}, "
        f"{ram_gib() or 0:.0f} GiB RAM, Python {platform.python_version()}; load average "
        f"{load_before:.1f} when the run started. {opts.users} simulated people for "
        f"{opts.duration} s against gunicorn with {opts.workers} workers on PostgreSQL "
        f"({opts.schools} schools, {opts.clusters} clusters, {opts.years} years of meetings). "
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."
    )
    table = "\n".join(
        [
            "| page | requests | p50 (ms) | p95 (ms) | errors |",
            "|---|---:|---:|---:|---:|",
            *rows,
            f"| **all** | {total} | {statistics.median(everything) * 1000:.0f} | "
            f"{percentile(everything, 0.95) * 1000:.0f} | {errors} |",
        ]
    )
    print(machine)
    print(table)
    if opts.write_docs:
        section = (
            f"{START}\n## Load: many people at once\n\n`benchmarks/load_test.py` (see its "
            f"docstring). Goal: 0 errors and p95 ≤ 500 ms at 50 users.\n\n{machine}\n\n"
            f"{table}\n{END}"
        )
        text = DOCS.read_text()
        if START in text:
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), section, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n" + section + "\n"
        DOCS.write_text(text)
    if not opts.keep:
        psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
