"""Demo step: a year of science cluster meetings with registers, one school drifting away
(seed 001: "three of the schools had attended only one or two meetings"), a school that sent
another member of staff, and the programme's twice-yearly coordinators' networking days."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from clusterwork.core.demo import demo_step
from clusterwork.people.models import Role

from . import services
from .models import Attendance, Event, EventKind, Invitation
from .services import AttendanceEntry

LONDON = zoneinfo.ZoneInfo("Europe/London")
MEETINGS_A_YEAR = 6  # one each half term
AGENDAS = (
    "1. Welcome and actions from last time\n2. Working scientifically: sharing practice\n"
    "3. Moderation of pupils' investigations\n4. Date of next meeting",
    "1. Actions\n2. Playground Science resources\n3. Planning the Great Science Share\n4. AOB",
    "1. Actions\n2. Self-assessment: where we need support\n3. Outdoor learning project\n4. AOB",
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _past_invitations(event: Event, actor) -> list[Invitation]:
    """Invitations as they were sent before the meeting, with replies (the service, asked
    now, would only put people on the register of a past meeting, without replies)."""
    day = timezone.localdate(event.starts_at)
    made = []
    for assignment in services.role_holders_for(event, Role.SUBJECT_LEADER, on=day):
        invitation = Invitation(
            event=event,
            person=assignment.person,
            school=assignment.school,
            invited_as=Role.SUBJECT_LEADER,
            invited_by=actor,
            rsvp="yes",
            emailed_at=event.starts_at - dt.timedelta(days=21),
        )
        invitation.save()
        made.append(invitation)
    return made


def _status(cluster_index: int, school_index: int, meeting_index: int, drifting: bool) -> str:
    if drifting:
        # Came to the first two, then one of the last four: flagged under the default rule.
        return Attendance.ATTENDED if meeting_index in (0, 1, 3) else Attendance.ABSENT
    if (school_index + meeting_index + cluster_index) % 9 == 4:
        return Attendance.APOLOGIES
    return Attendance.ATTENDED


@demo_step(order=60, name="meetings")
def build(ctx) -> str:
    programme = ctx.objects["science.programme"]
    clusters = ctx.objects["science.clusters"]
    actor = ctx.actor
    today = timezone.localdate()
    meetings = registers = 0
    drifting_school = substitute_school = None
    for cluster_index, (name, cluster) in enumerate(sorted(clusters.items())):
        first_day = max(cluster.started_on or today, today - dt.timedelta(days=365))
        days = [today - dt.timedelta(days=14 + 42 * k) for k in range(MEETINGS_A_YEAR)]
        days = sorted(d for d in days if d >= first_day)
        hosts = sorted(
            (m.school for m in cluster.memberships.current().select_related("school")),
            key=lambda school: school.urn,
        )
        if not hosts:
            continue
        drifter = (
            next((s for s in reversed(hosts) if s.pk != cluster.lead_school_id), None)
            if name == "Bristol"
            else None
        )
        for meeting_index, day in enumerate(days):
            event = services.event_create(
                actor=actor,
                cluster=cluster,
                title=f"{cluster.name} meeting",
                starts_at=_at(day, 15, 45),
                ends_at=_at(day, 17, 15),
                host_school=hosts[meeting_index % len(hosts)],
                agenda=AGENDAS[meeting_index % len(AGENDAS)],
            )
            invitations = _past_invitations(event, actor)
            entries = []
            for school_index, invitation in enumerate(invitations):
                is_drifter = drifter is not None and invitation.school_id == drifter.pk
                status = _status(cluster_index, school_index, meeting_index, is_drifter)
                substitute_name = ""
                if name == "Leeds" and school_index == 1 and meeting_index < 3:
                    # Seed 001: "another member of staff attended" while the lead was away.
                    status, substitute_name = Attendance.SUBSTITUTE, "Year 4 class teacher"
                    substitute_school = invitation.school
                entries.append(
                    AttendanceEntry(
                        person=invitation.person, status=status, substitute_name=substitute_name
                    )
                )
                if is_drifter:
                    drifting_school = invitation.school
            services.record_attendance(actor=actor, event=event, entries=entries)
            services.minutes_save(
                actor=actor,
                event=event,
                minutes="Shared practice from each school; actions agreed below.",
            )
            if invitations:
                services.action_create(
                    actor=actor,
                    event=event,
                    owner=invitations[0].person,
                    description="Circulate the moderation examples to the group",
                    due=day + dt.timedelta(days=28),
                )
            meetings += 1
            registers += len(entries)
        upcoming = services.event_create(
            actor=actor,
            cluster=cluster,
            title=f"{cluster.name} meeting",
            starts_at=_at(today + dt.timedelta(days=21), 15, 45),
            ends_at=_at(today + dt.timedelta(days=21), 17, 15),
            host_school=hosts[0],
            agenda=AGENDAS[0],
        )
        services.invite_by_role(actor=actor, event=upcoming, role=Role.SUBJECT_LEADER)

    # Networking days for every coordinator, twice a year (seed 000).
    past_day = today - dt.timedelta(days=150)
    networking = services.event_create(
        actor=actor,
        programme=programme,
        kind=EventKind.NETWORKING,
        title="Coordinators' networking day",
        starts_at=_at(past_day, 10),
        ends_at=_at(past_day, 15, 30),
        location="Bristol",
        agenda="Sharing good practice; policy update; planning for independence",
    )
    coordinators = services.role_holders_for(networking, Role.CLUSTER_COORDINATOR, on=past_day)
    for assignment in coordinators:
        Invitation.objects.create(
            event=networking,
            person=assignment.person,
            school=assignment.person.school,
            invited_as=Role.CLUSTER_COORDINATOR,
            invited_by=actor,
            rsvp="yes",
            attendance=Attendance.ATTENDED,
            attendance_recorded_at=networking.ends_at,
        )
    next_day = today + dt.timedelta(days=120)
    upcoming_networking = services.event_create(
        actor=actor,
        programme=programme,
        kind=EventKind.NETWORKING,
        title="Coordinators' networking day",
        starts_at=_at(next_day, 10),
        ends_at=_at(next_day, 15, 30),
        mode="online",
        online_link="https://meet.example.org/pstt",
    )
    services.invite_by_role(actor=actor, event=upcoming_networking, role=Role.CLUSTER_COORDINATOR)
    ctx.objects["meetings.drifting_school"] = drifting_school
    ctx.objects["meetings.substitute_school"] = substitute_school
    drifting = f"; {drifting_school.name} flagged for low attendance" if drifting_school else ""
    return (
        f"Meetings: {meetings} science cluster meetings with {registers} register lines, "
        f"2 networking days{drifting}."
    )
