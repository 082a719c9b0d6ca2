"""``clusterwork generate-load-data``: a national-scale programme for speed tests.

≈22,000 schools in ≈4,000 clusters with five years of meetings and ≈2 million attendance
rows. Meant for a dedicated benchmark database (PostgreSQL: rows go in with COPY); never for
a live one. History tables are not filled for the generated rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
import zoneinfo

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.people import services as people_services
from clusterwork.people.models import Person, Role, RoleAssignment
from clusterwork.schools.models import LocalAuthority, School

from ...models import Attendance, Event, EventKind, Invitation, Mode

LONDON = zoneinfo.ZoneInfo("Europe/London")
PROGRAMME = "National load-test programme"
BENCH_PASSWORD = "load-test-password"


class Command(BaseCommand):
    help = "Generate national-scale load data (schools, clusters, meetings, attendance)."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=22_000)
        parser.add_argument("--clusters", type=int, default=4_000)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--meetings-per-year", type=int, default=9)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--synthetic-schools",
            action="store_true",
            help="Make synthetic schools even when the GIAS file could be imported.",
        )

    def handle(self, *args, **opts):
        if Programme.objects.filter(name=PROGRAMME).exists():
            raise CommandError(
                f"“{PROGRAMME}” already exists here. Generate into a fresh benchmark database."
            )
        self.rng = random.Random(opts["seed"])
        self.t0 = time.monotonic()
        schools = self._schools(opts["schools"], opts["synthetic_schools"])
        with transaction.atomic():
            programme, clusters, members = self._clusters(schools, opts["clusters"])
            leaders, heads = self._people(programme, clusters, members)
            events = self._events(
                programme, clusters, members, opts["years"], opts["meetings_per_year"]
            )
            rows = self._invitations(events, members, leaders, heads)
        with connection.cursor() as cursor:
            for table in (
                "meetings_event",
                "meetings_invitation",
                "people_person",
                "people_roleassignment",
                "clusters_clustermembership",
            ):
                if connection.vendor == "postgresql":
                    cursor.execute(f"ANALYZE {table}")
        self._say(
            f"Done: {len(schools)} schools, {len(clusters)} clusters, {len(events)} events, "
            f"{rows} invitations with attendance. Logins (password {BENCH_PASSWORD}): "
            "load-admin@example.org (programme admin), load-coordinator@example.org "
            "(coordinator of the first cluster)."
        )

    def _say(self, text: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.t0:7.1f}s] {text}")

    # ----- schools ---------------------------------------------------------------------------

    def _schools(self, wanted: int, synthetic: bool) -> list[tuple[int, str, int]]:
        if not synthetic and not School.objects.exists():
            try:
                from clusterwork.schools.importer import england_file_path, import_gias

                self._say("Importing the GIAS England file …")
                self._say(import_gias(england_file_path()).summary())
            except Exception as exc:  # no file here: fall back to synthetic schools
                self._say(f"GIAS import unavailable ({exc}); making synthetic schools.")
        rows = list(
            School.objects.filter(status__startswith="Open", easting__isnull=False)
            .order_by("local_authority__name", "easting", "urn")
            .values_list("pk", "local_authority__name", "easting")[:wanted]
        )
        if len(rows) < wanted:
            self._make_synthetic(wanted - len(rows))
            rows = list(
                School.objects.filter(status__startswith="Open", easting__isnull=False)
                .order_by("local_authority__name", "easting", "urn")
                .values_list("pk", "local_authority__name", "easting")[:wanted]
            )
        self._say(f"{len(rows)} schools to cluster.")
        return rows

    def _make_synthetic(self, count: int) -> None:
        authorities = [
            LocalAuthority.objects.get_or_create(name=f"Load authority {n}")[0] for n in range(150)
        ]
        base = (School.objects.order_by("-urn").values_list("urn", flat=True).first() or 0) + 1
        base = max(base, 800_000)
        batch = [
            School(
                urn=base + n,
                name=f"Load Primary School {base + n}",
                phase="Primary",
                status="Open",
                local_authority=authorities[n % len(authorities)],
                easting=300_000 + (n * 37) % 300_000,
                northing=100_000 + (n * 53) % 500_000,
            )
            for n in range(count)
        ]
        School.objects.bulk_create(batch, batch_size=5_000)
        self._say(f"Made {count} synthetic schools.")

    # ----- clusters, people ------------------------------------------------------------------

    def _clusters(self, schools, count: int):
        count = max(1, min(count, len(schools) // 3))
        admin = self._user_person("Load Admin", "load-admin@example.org")
        programme = cluster_services.programme_create(
            actor=None, name=PROGRAMME, min_cluster_size=3, max_cluster_size=12
        )
        people_services.role_assign(
            actor=None,
            person=admin,
            role=Role.PROGRAMME_ADMIN,
            programme=programme,
            start=dt.date(2020, 1, 1),
        )
        start = timezone.localdate() - dt.timedelta(days=366 * 5 + 30)
        size, extra = divmod(len(schools), count)
        groups, at = [], 0
        for n in range(count):
            take = size + (1 if n < extra else 0)
            groups.append(schools[at : at + take])
            at += take
        clusters = Cluster.objects.bulk_create(
            [
                Cluster(
                    programme=programme,
                    name=f"Cluster {n + 1:04d} ({group[0][1] or 'England'})",
                    kind=Cluster.Kind.SUBJECT_NETWORK,
                    lead_school_id=group[0][0],
                    region=group[0][1] or "",
                    started_on=start,
                )
                for n, group in enumerate(groups)
            ],
            batch_size=2_000,
        )
        members = {c.pk: [pk for pk, _, _ in g] for c, g in zip(clusters, groups, strict=True)}
        ClusterMembership.objects.bulk_create(
            [
                ClusterMembership(cluster_id=cid, programme=programme, school_id=sid, start=start)
                for cid, sids in members.items()
                for sid in sids
            ],
            batch_size=5_000,
        )
        self._say(f"{len(clusters)} clusters, {sum(map(len, members.values()))} memberships.")
        return programme, clusters, members

    def _user_person(self, name: str, email: str) -> Person:
        return people_services.person_create(
            actor=None, full_name=name, email=email, password=BENCH_PASSWORD
        )

    def _people(self, programme, clusters, members):
        start = clusters[0].started_on
        persons, kinds = [], []
        for sids in members.values():
            for sid in sids:
                for kind, title, mailbox in (
                    ("leader", "Subject leader", "sl"),
                    ("head", "Headteacher", "head"),
                ):
                    email = f"{mailbox}{sid}@load.example.org"
                    persons.append(Person(full_name=f"{title} {sid}", school_id=sid, email=email))
                    kinds.append((kind, sid))
        Person.objects.bulk_create(persons, batch_size=5_000)
        leaders = {sid: p.pk for p, (k, sid) in zip(persons, kinds, strict=True) if k == "leader"}
        heads = {sid: p.pk for p, (k, sid) in zip(persons, kinds, strict=True) if k == "head"}
        roles = (
            [
                RoleAssignment(
                    person_id=leaders[sid], role=Role.SUBJECT_LEADER, school_id=sid, start=start
                )
                for sids in members.values()
                for sid in sids
            ]
            + [
                RoleAssignment(
                    person_id=heads[sid], role=Role.HEADTEACHER, school_id=sid, start=start
                )
                for sids in members.values()
                for sid in sids
            ]
            + [
                RoleAssignment(
                    person_id=leaders[members[c.pk][0]],
                    role=Role.CLUSTER_COORDINATOR,
                    cluster_id=c.pk,
                    start=start,
                )
                for c in clusters[1:]
            ]
        )
        RoleAssignment.objects.bulk_create(roles, batch_size=5_000)
        coordinator = self._user_person("Load Coordinator", "load-coordinator@example.org")
        people_services.role_assign(
            actor=None,
            person=coordinator,
            role=Role.CLUSTER_COORDINATOR,
            cluster=clusters[0],
            start=start,
        )
        self._say(f"{len(persons) + 2} people, {len(roles) + 2} role assignments.")
        return leaders, heads

    # ----- events and attendance (COPY on PostgreSQL) ----------------------------------------

    def _events(self, programme, clusters, members, years: int, per_year: int):
        today = timezone.localdate()
        first = today - dt.timedelta(days=365 * years)
        step = 365 // per_year
        now = timezone.now()
        rows = []
        for cluster in clusters:
            offset = self.rng.randrange(step)
            day = first + dt.timedelta(days=offset)
            n = 0
            while day <= today + dt.timedelta(days=60):
                kind = EventKind.CPD if n % 6 == 5 else EventKind.MEETING
                start = dt.datetime(day.year, day.month, day.day, 15, 45, tzinfo=LONDON)
                host = members[cluster.pk][n % len(members[cluster.pk])]
                rows.append(
                    (
                        now,
                        now,
                        kind,
                        "Cluster meeting" if kind == "meeting" else "CPD session",
                        programme.pk,
                        cluster.pk,
                        Mode.IN_PERSON,
                        host,
                        start,
                        start + dt.timedelta(minutes=90),
                        "",
                        "",
                        "",
                        "",
                    )
                )
                day += dt.timedelta(days=step + self.rng.randrange(-5, 6))
                n += 1
        columns = (
            "created_at",
            "updated_at",
            "kind",
            "title",
            "programme_id",
            "cluster_id",
            "mode",
            "host_school_id",
            "starts_at",
            "ends_at",
            "location",
            "online_link",
            "agenda",
            "minutes",
        )
        ids = self._copy(Event, columns, rows, returning=True)
        self._say(f"{len(rows)} events.")
        return [(pk, row[5], row[8]) for pk, row in zip(ids, rows, strict=True)]

    def _invitations(self, events, members, leaders, heads) -> int:
        now = timezone.now()
        all_schools = [sid for sids in members.values() for sid in sids]
        # One school in twenty drifts away in its last year: the engagement list flags it.
        drifting = set(self.rng.sample(all_schools, len(all_schools) // 20))
        drift_from = now - dt.timedelta(days=365)
        rng = self.rng.random
        columns = (
            "created_at",
            "updated_at",
            "event_id",
            "person_id",
            "school_id",
            "invited_as",
            "rsvp",
            "attendance",
            "substitute_name",
        )

        def rows():
            for event_id, cluster_id, starts_at in events:
                past = starts_at < now
                for sid in members[cluster_id]:
                    for person, role, p_attend in (
                        (leaders[sid], Role.SUBJECT_LEADER, 0.85),
                        (heads[sid], Role.HEADTEACHER, 0.25),
                    ):
                        if sid in drifting and starts_at > drift_from:
                            p_attend = 0.1
                        attendance, substitute = "", ""
                        if past:
                            roll = rng()
                            if roll < p_attend:
                                attendance = Attendance.ATTENDED
                            elif roll < p_attend + 0.05 and role == Role.SUBJECT_LEADER:
                                attendance, substitute = Attendance.SUBSTITUTE, "Class teacher"
                            elif roll < p_attend + 0.15:
                                attendance = Attendance.APOLOGIES
                            else:
                                attendance = Attendance.ABSENT
                        yield (
                            now,
                            now,
                            event_id,
                            person,
                            sid,
                            role,
                            "yes" if attendance == Attendance.ATTENDED else "pending",
                            attendance,
                            substitute,
                        )

        with self._foreign_keys_checked_once(Invitation):
            count = self._copy(Invitation, columns, rows())
        self._say(f"{count} invitations.")
        return count

    @contextlib.contextmanager
    def _foreign_keys_checked_once(self, model):
        """Drop the table's foreign keys during COPY and add them back after: PostgreSQL then
        validates each key with one join instead of millions of per-row trigger checks."""
        if connection.vendor != "postgresql":
            yield
            return
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            keys = cursor.fetchall()
            # Check the rows already written (their keys are deferred) so the tables they
            # reference can be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, _ in keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        yield
        with connection.cursor() as cursor:
            for name, definition in keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')

    def _copy(self, model, columns, rows, *, returning: bool = False):
        """COPY rows in on PostgreSQL (bulk INSERT elsewhere). Returns the new ids, or the row
        count when ``returning`` is off."""
        table = model._meta.db_table
        if connection.vendor != "postgresql":
            objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            made = model.objects.bulk_create(objs, batch_size=2_000)
            return [o.pk for o in made] if returning else len(made)
        with connection.cursor() as cursor:
            if returning:
                # COPY cannot return ids: reserve a block from the identity sequence instead.
                rows = list(rows)
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, len(rows)],
                )
                ids = [r[0] for r in cursor.fetchall()]
                columns = ("id", *columns)
                rows = ((pk, *row) for pk, row in zip(ids, rows, strict=True))
            count = 0
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return ids if returning else count
