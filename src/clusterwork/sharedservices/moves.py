"""What moving an academy between clusters does to shared costs (governance's move proposal
page shows it; the proposal has .school, .from_cluster, .to_cluster, .effective_on)."""

from __future__ import annotations

from django.db.models import Q

from . import costs
from .selectors import services_visible_to
from .years import year_label, year_of, year_span


def _moved(move):
    """An ``adjust`` for ``costs.split_service``: the spans had the move taken effect (the
    memberships themselves are not touched)."""

    def adjust(svc, spans, lo, hi):
        school, on = move["school"], move["on"]
        from_c, to_c = move["from_cluster"], move["to_cluster"]
        same_programme = from_c.programme_id == to_c.programme_id
        leaves = svc.cluster_id == from_c.pk or (
            svc.cluster_id is None
            and svc.programme_id == from_c.programme_id
            and not same_programme
        )
        joins = svc.cluster_id == to_c.pk or (
            svc.cluster_id is None and svc.programme_id == to_c.programme_id and not same_programme
        )
        mine = list(spans.get(school.pk, []))
        if leaves:
            mine = [(s, min(e, on)) for s, e in mine if s < on]
        if joins and on < hi:
            mine.append((max(on, lo), hi))
        spans = dict(spans)
        if mine:
            spans[school.pk] = mine
        else:
            spans.pop(school.pk, None)
        return spans

    return adjust


def move_impact(user, proposal) -> dict | None:
    school, from_c, to_c, on = (
        proposal.school,
        proposal.from_cluster,
        proposal.to_cluster,
        proposal.effective_on,
    )
    if school is None or from_c is None or to_c is None or on is None:
        return None
    year = year_of(on)
    lo, hi = year_span(year)
    services = (
        services_visible_to(user)
        .filter(agreed_on__isnull=False)
        .filter(
            Q(cluster__in=[from_c, to_c])
            | Q(cluster__isnull=True, programme_id__in=[from_c.programme_id, to_c.programme_id])
        )
        .order_by("cluster_id", "name")
    )
    move = {"school": school, "from_cluster": from_c, "to_cluster": to_c, "on": on}
    rows = []
    for service in services:
        before = costs.split_service(service, year)
        after = costs.split_service(service, year, adjust=_moved(move))
        rows.append(
            {
                "service": service,
                "before": before.share_of(school.pk),
                "after": after.share_of(school.pk),
                "others_before": before.result.total_pence
                - before.share_of(school.pk)
                - before.result.unallocated_pence,
                "others_after": after.result.total_pence
                - after.share_of(school.pk)
                - after.result.unallocated_pence,
            }
        )
    before_total = sum(r["before"] for r in rows)
    after_total = sum(r["after"] for r in rows)
    return {
        "school": school,
        "from_cluster": from_c,
        "to_cluster": to_c,
        "effective_on": on,
        "year_label": year_label(year),
        "rows": rows,
        "before_total": before_total,
        "after_total": after_total,
        "change": after_total - before_total,
        "year_start": lo,
    }
