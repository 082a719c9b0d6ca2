"""Benchmark: the impact dashboards at national scale, on PostgreSQL.

    .venv/bin/python benchmarks/bench_reports.py [--write-docs] [--reuse] [--drop]

Builds the load data set of issue 13 in a dedicated database (``cw_reports``): ``clusterwork
generate-load-data`` (≈22,000 schools, 4,000 clusters, five years of meetings, ≈2 million
attendance rows), then ``add_impact_data`` below puts the programme under a trust, gives every
cluster goals, achievements and a stage, and ``refresh-report-summaries`` builds the
summaries. A small data set (600 schools / 100 clusters, ``cw_reports_small``) is built the
same way, so the query counts of both can be compared: the same count at both scales shows
the pages do not grow with the data. Pages are timed through the Django test client (median
of 15 requests after 2 warm-ups). Target: each dashboard's median ≤ 200 ms.
``--reuse`` keeps already generated databases; ``--drop`` drops them at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from machine_info import cpu_model

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- reports:start -->", "<!-- reports:end -->"
REPEATS = 15
SCALES = {
    "small": {"db": "cw_reports_small", "args": ["--schools", "600", "--clusters", "100"]},
    "full": {"db": "cw_reports", "args": []},
}
TRUST_ADMIN = "load-trust-admin@example.org"


def psql(sql: str, db: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{PG_SERVER}/{db}", "-qAt", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterwork.settings")
    django.setup()


def add_impact_data() -> None:
    """A trust runs the load programme; each cluster gets a stage, three goals (one
    achieved), an achievement, and its start year spread over five cohorts."""
    _setup_django()
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from clusterwork.clusters.models import Cluster, Programme
    from clusterwork.goals.models import Achievement, Goal
    from clusterwork.meetings.management.commands.generate_load_data import (
        BENCH_PASSWORD,
        PROGRAMME,
    )
    from clusterwork.people import services as people_services
    from clusterwork.people.models import Role
    from clusterwork.schools.models import Trust
    from clusterwork.stages.models import ClusterStage, StageDefinition

    rng = random.Random(13)
    today = timezone.localdate()
    with transaction.atomic():
        programme = Programme.objects.get(name=PROGRAMME)
        trust = Trust.objects.create(name="National Load Trust", gias_code="LOAD-TRUST")
        Programme.objects.filter(pk=programme.pk).update(trust=trust)
        person = people_services.person_create(
            actor=None, full_name="Load Trust Admin", email=TRUST_ADMIN, password=BENCH_PASSWORD
        )
        people_services.role_assign(
            actor=None,
            person=person,
            role=Role.TRUST_ADMIN,
            trust=trust,
            start=dt.date(2020, 1, 1),
        )
        stages = [
            StageDefinition.objects.create(programme=programme, order=n, key=f"s{n}", name=name)
            for n, name in enumerate(["Set-up", "Year 1", "Years 2-4", "Transition"], start=1)
        ]
        clusters = list(Cluster.objects.filter(programme=programme).values_list("pk", flat=True))
        for n, pk in enumerate(clusters):
            Cluster.objects.filter(pk=pk).update(started_on=dt.date(2021 + n % 5, 9, 1))
        ClusterStage.objects.bulk_create(
            [
                ClusterStage(
                    cluster_id=pk,
                    stage=stages[rng.randrange(len(stages))],
                    entered_on=today - dt.timedelta(days=rng.randrange(30, 700)),
                )
                for pk in clusters
            ],
            batch_size=5_000,
        )
        goals = []
        for pk in clusters:
            for horizon in ("short", "medium", "long"):
                achieved = horizon == "short" or rng.random() < 0.2
                goals.append(
                    Goal(
                        cluster_id=pk,
                        title=f"Goal {horizon}",
                        horizon=horizon,
                        status="achieved" if achieved else "on_track",
                        achieved_on=today - dt.timedelta(days=rng.randrange(1, 900))
                        if achieved
                        else None,
                    )
                )
        Goal.objects.bulk_create(goals, batch_size=5_000)
        Achievement.objects.bulk_create(
            [
                Achievement(
                    cluster_id=pk,
                    title="Quality mark",
                    kind="quality_mark",
                    on=today - dt.timedelta(days=rng.randrange(1, 700)),
                )
                for pk in clusters
            ],
            batch_size=5_000,
        )
    print(f"Impact data: trust, {len(clusters)} clusters with stages, goals, achievements.")


def child() -> None:
    _setup_django()
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
    from clusterwork.meetings.management.commands.generate_load_data import PROGRAMME
    from clusterwork.meetings.models import Invitation
    from clusterwork.people.models import User
    from clusterwork.reports.figures import cohort_of

    setup_test_environment()
    request_started.disconnect(reset_queries)
    programme = Programme.objects.get(name=PROGRAMME)
    cluster = Cluster.objects.filter(programme=programme).order_by("pk").first()
    school = ClusterMembership.objects.filter(cluster=cluster).first().school
    trust_admin = User.objects.get(email=TRUST_ADMIN)
    coordinator = User.objects.get(email="load-coordinator@example.org")
    year = cohort_of(cluster)
    pages = [
        ("Trust dashboard (all clusters)", trust_admin, f"/reports/trusts/{programme.trust_id}/"),
        ("Programme dashboard (all clusters)", trust_admin, f"/reports/programmes/{programme.pk}/"),
        (
            "Cohort dashboard (a fifth of them)",
            trust_admin,
            f"/reports/programmes/{programme.pk}/cohorts/{year}/",
        ),
        ("Cluster dashboard", coordinator, f"/reports/clusters/{cluster.pk}/"),
        ("School dashboard", coordinator, f"/reports/schools/{school.urn}/"),
        (
            "Programme dashboard as a coordinator (one cluster)",
            coordinator,
            f"/reports/programmes/{programme.pk}/",
        ),
        (
            "Export: all clusters' figures (CSV)",
            trust_admin,
            f"/reports/programmes/{programme.pk}/?export=csv",
        ),
    ]
    out = {
        "schools": ClusterMembership.objects.filter(programme=programme).count(),
        "clusters": Cluster.objects.filter(programme=programme).count(),
        "invitations": Invitation.objects.count(),
        "pages": [],
    }

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        for _ in range(2):
            get(client, url)
        with CaptureQueriesContext(connection) as queries:
            get(client, url)
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            get(client, url)
            timings.append((time.perf_counter() - started) * 1000)
        out["pages"].append(
            {
                "label": label,
                "url": url,
                "queries": len(queries),
                "median_ms": statistics.median(timings),
                "p90_ms": sorted(timings)[int(REPEATS * 0.9)],
            }
        )
    out["load_average"] = os.getloadavg()[0]
    print("RESULT " + json.dumps(out))


def build(name: str, spec: dict, reuse: bool) -> dict:
    db = spec["db"]
    env = {**os.environ, "DATABASE_URL": f"{PG_SERVER}/{db}", "DEBUG": "1"}
    cli = str(ROOT / ".venv" / "bin" / "clusterwork")
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
    timings = {}
    ready = (
        exists
        and reuse
        and psql("SELECT COUNT(*) FROM schools_trust WHERE gias_code = 'LOAD-TRUST'", db) == "1"
    )
    if not ready:
        psql(f"DROP DATABASE IF EXISTS {db}")
        psql(f"CREATE DATABASE {db}")
        subprocess.run([cli, "migrate", "-v0"], env=env, check=True)
        subprocess.run([cli, "createcachetable"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run([cli, "generate_load_data", *spec["args"]], env=env, check=True)
        timings["generate_s"] = time.perf_counter() - started
        subprocess.run([sys.executable, __file__, "--add-impact"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([cli, "refresh_report_summaries"], env=env, check=True)
    timings["refresh_s"] = time.perf_counter() - started
    result = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, check=True, capture_output=True, text=True
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    return {**json.loads(line[len("RESULT ") :]), **timings, "scale": name}


def machine() -> str:
    cpu = cpu_model() or platform.processor() or platform.machine()
    pg = psql("show server_version")
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, PostgreSQL {pg}"


def report(small: dict, full: dict) -> str:
    lines = [
        START,
        "## Impact dashboards",
        "",
        "`.venv/bin/python benchmarks/bench_reports.py --write-docs` — the load data set of "
        "issue 13 (generate-load-data, then a trust, stages, goals and achievements for every "
        "cluster, then refresh-report-summaries); pages through the Django test client, median "
        f"of {REPEATS} requests after 2 warm-ups, on PostgreSQL.",
        "",
        f"Machine: {machine()}. Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"load average {full['load_average']:.1f} at the end of the full run (the machine "
        "is shared).",
        "",
        "| data | clusters | schools | attendance rows | refresh-report-summaries |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in (small, full):
        lines.append(
            f"| {r['scale']} | {r['clusters']:,} | {r['schools']:,} | {r['invitations']:,} "
            f"| {r['refresh_s']:.1f} s |"
        )
    lines += [
        "",
        "| page | queries (small → full) | median small | median full | p90 full | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for s, f in zip(small["pages"], full["pages"], strict=True):
        lines.append(
            f"| {f['label']} | {s['queries']} → {f['queries']} | {s['median_ms']:.0f} ms "
            f"| {f['median_ms']:.0f} ms | {f['p90_ms']:.0f} ms | ≤ 200 ms |"
        )
    lines += ["", END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--add-impact", action="store_true")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--only", choices=sorted(SCALES))
    args = parser.parse_args()
    if args.child:
        return child()
    if args.add_impact:
        return add_impact_data()
    results = {}
    for name, spec in SCALES.items():
        if args.only and name != args.only:
            continue
        results[name] = build(name, spec, args.reuse)
        print(f"== {name}")
        for page in results[name]["pages"]:
            print(
                f"{page['label']:<52} {page['queries']:>4} queries  "
                f"median {page['median_ms']:7.1f} ms  p90 {page['p90_ms']:7.1f} ms"
            )
    if len(results) == 2:
        text = report(results["small"], results["full"])
        print(text)
        if args.write_docs:
            docs = DOCS.read_text(encoding="utf-8")
            if START in docs:
                head, rest = docs.split(START, 1)
                docs = head + text + rest.split(END, 1)[1]
            else:
                docs = docs.rstrip() + "\n\n" + text + "\n"
            DOCS.write_text(docs, encoding="utf-8")
    if args.drop:
        for spec in SCALES.values():
            psql(f"DROP DATABASE IF EXISTS {spec['db']}")


if __name__ == "__main__":
    main()
