"""What governance plugs into the core registries: the scheme's gates on other apps'
approvals, its measures for triggers and dashboards, digest items, and personal data."""

from __future__ import annotations

from django.utils import timezone

from clusterwork.core import digest, personal_data
from clusterwork.core.digest import DigestItem
from clusterwork.core.personal_data import PersonalData

from .gates import register_gates
from .intervention import register_measures


def digest_items(user, since, until) -> list[DigestItem]:
    """Cases opened in the user's clusters, and open motions at meetings of their boards."""
    from .selectors import cases_visible_to, open_motions_for

    items = [
        DigestItem(
            app="governance",
            title=f"Intervention case opened: {case.title}",
            url=case.get_absolute_url(),
            when=case.opened_on,
        )
        for case in cases_visible_to(user).filter(opened_on__gte=since, opened_on__lte=until)
    ]
    items += [
        DigestItem(
            app="governance",
            kind="due",
            title=f"Vote pending at {motion.item.meeting}: {motion.text[:80]}",
            url=motion.item.meeting.get_absolute_url(),
            when=timezone.localdate(motion.item.meeting.starts_at),
        )
        for motion in open_motions_for(user)
    ]
    return items


def export_person(person) -> list[dict]:
    from .models import (
        Attendance,
        BoardMember,
        InterestRegister,
        ItemDeclaration,
        LeadHeadAppointment,
        Vote,
    )

    rows = [
        {
            "kind": "board seat",
            "board": str(m.board),
            "capacity": m.get_capacity_display(),
            "voting": m.voting,
            "start": m.start.isoformat(),
            "end": m.end.isoformat() if m.end else "",
        }
        for m in BoardMember.objects.filter(person=person).select_related("board")
    ]
    rows += [
        {
            "kind": "vote",
            "motion": v.motion.text,
            "choice": v.choice,
            "meeting": str(v.motion.item.meeting),
        }
        for v in Vote.objects.filter(person=person).select_related("motion__item__meeting")
    ]
    rows += [
        {"kind": "attendance", "meeting": str(a.meeting), "status": a.status}
        for a in Attendance.objects.filter(person=person).select_related("meeting")
    ]
    rows += [
        {
            "kind": "register of interests",
            "board": str(r.board),
            "year": r.academic_year,
            "interests": r.interests,
        }
        for r in InterestRegister.objects.filter(person=person).select_related("board")
    ]
    rows += [
        {"kind": "declared interest", "item": str(d.item), "interest": d.interest}
        for d in ItemDeclaration.objects.filter(person=person).select_related("item")
    ]
    rows += [
        {"kind": "lead headteacher", "cluster": str(a.cluster), "start": a.start.isoformat()}
        for a in LeadHeadAppointment.objects.filter(person=person).select_related("cluster")
    ]
    return rows


def erase_person(person, actor) -> int:
    """Votes, attendance and appointments stay (the board's record relies on them; the
    person's name is removed by the people app); what the person wrote about their own
    interests is removed, and their open board terms end today."""
    from .models import BoardMember, InterestRegister, ItemDeclaration

    changed = InterestRegister.objects.filter(person=person).update(interests="[erased]")
    changed += ItemDeclaration.objects.filter(person=person).update(interest="[erased]")
    today = timezone.localdate()
    for member in BoardMember.objects.filter(person=person, end__isnull=True, start__lt=today):
        member.end = today
        member.save(update_fields=["end"])
        changed += 1
    return changed


GOVERNANCE_MODELS = (
    "governance.BoardMember",
    "governance.Attendance",
    "governance.InterestRegister",
    "governance.ItemDeclaration",
    "governance.Vote",
    "governance.LeadHeadAppointment",
    "governance.InterventionCase",
    "governance.CaseNote",
)


def register_all() -> None:
    register_gates()
    register_measures()
    digest.register("governance", digest_items)
    personal_data.register(
        PersonalData(
            app="governance",
            label="Board seats, attendance, votes and interests",
            export=export_person,
            erase=erase_person,
            models=GOVERNANCE_MODELS,
        )
    )
