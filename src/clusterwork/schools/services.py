"""Writes to trusts and to the parts of a school's record that GIAS does not own."""

from __future__ import annotations

from django.db import transaction

from clusterwork.core.audit import stamp
from clusterwork.core.errors import ServiceError

from .models import School, Trust


@transaction.atomic
def trust_create(
    *,
    actor,
    name: str,
    kind: str = Trust.Kind.MULTI_ACADEMY_TRUST,
    gias_code: str = "",
    companies_house_number: str = "",
) -> Trust:
    name = name.strip()
    if not name:
        raise ServiceError("A trust needs a name.", field="name")
    if gias_code and Trust.objects.filter(gias_code=gias_code).exists():
        raise ServiceError(f"A trust with GIAS code {gias_code} already exists.", field="gias_code")
    trust = Trust(
        name=name, kind=kind, gias_code=gias_code, companies_house_number=companies_house_number
    )
    stamp(trust, actor)
    trust.full_clean()
    trust.save()
    return trust


@transaction.atomic
def school_set_trust(*, actor, school: School, trust: Trust | None, reason: str = "") -> School:
    """Record that a school joined (or left) a trust; the change is kept in its history."""
    school = School.objects.select_for_update().get(pk=school.pk)
    if trust is not None and trust.is_archived:
        raise ServiceError(f"{trust} is archived.")
    school.trust = trust
    stamp(school, actor)
    school._change_reason = reason or (f"joined {trust}" if trust else "left its trust")
    school.save(update_fields=["trust", "updated_at"])
    return school
