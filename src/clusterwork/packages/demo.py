"""Demo: the sport network's catalogue (seed 000) and its two example packages, part
delivered by the network's development manager, plus last year's package left undelivered."""

import datetime as dt
from decimal import Decimal

from clusterwork.core.demo import demo_step
from clusterwork.meetings.models import Event

from . import services
from .models import ItemKind, PackageItem

PRICES = {
    ItemKind.MEMBERSHIP: 16_500,
    ItemKind.CPD_DAY: 65_000,
    ItemKind.STRATEGIC_SUPPORT: 55_000,
    ItemKind.ECT_CPD: 65_000,
    ItemKind.MONITORING: 150_000,
}


def _year_start(today: dt.date) -> dt.date:
    return dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def _lines(items, schools, **quantities):
    lines = [
        services.LineIn(
            items[ItemKind.MEMBERSHIP], Decimal(schools), schools * PRICES[ItemKind.MEMBERSHIP]
        )
    ]
    for kind, quantity in quantities.items():
        lines.append(services.LineIn(items[kind], Decimal(quantity), int(quantity * PRICES[kind])))
    return lines


@demo_step(order=41, name="packages.development_manager")
def development_manager(ctx) -> str:
    """The sport network's development manager, a demo login (before the logins are checked)."""
    ctx.objects["packages.manager"] = ctx.people.with_role(
        "development_manager",
        job_title="Development manager, schools",
        start=dt.date(2022, 9, 1),
        programme=ctx.objects["sport.programme"],
        login="sport_dm",
    )
    return "Packages: the sport network's development manager."


@demo_step(order=64, name="packages")
def build(ctx) -> str:
    programme = ctx.objects["sport.programme"]
    clusters = ctx.objects["sport.clusters"]
    today = dt.date.today()
    start = _year_start(today)
    services.catalogue_seed(actor=ctx.actor, programme=programme, prices=PRICES)
    items = {i.kind: i for i in PackageItem.objects.filter(programme=programme)}
    manager = ctx.objects["packages.manager"]

    def deliver(package, kind, on, amount, notes, event=None, attendees=None):
        on = min(on, today)
        services.delivery_log(
            actor=ctx.actor,
            package=package,
            item=items[kind],
            on=on,
            amount=Decimal(amount),
            delivered_by=manager,
            notes=notes,
            event=event,
            attendee_count=attendees,
        )

    def members(cluster, day):
        return [m.school for m in cluster.memberships.on(day).select_related("school")]

    # Seed 000, cluster example 1: membership for each school plus 2 full days of CPD.
    ssp = clusters["school_sport_partnership"]
    schools = members(ssp, start)
    one = services.package_agree(
        actor=ctx.actor,
        cluster=ssp,
        title="Cluster working: membership and CPD",
        term=f"{start.year}/{str(start.year + 1)[2:]}",
        start=start,
        end=start.replace(year=start.year + 1),
        lines=_lines(items, len(schools), cpd_day=2),
        development_manager=manager,
        agreed_on=start - dt.timedelta(days=60),
    )
    services.memberships_record(actor=ctx.actor, package=one, schools=schools, start=start)
    event = (
        Event.objects.filter(cluster=ssp, starts_at__date__gte=start, starts_at__date__lte=today)
        .order_by("starts_at")
        .first()
    )
    deliver(
        one,
        ItemKind.CPD_DAY,
        start + dt.timedelta(days=45),
        1,
        "Inclusive PE CPD day for class teachers at the lead school.",
        event=event,
        attendees=14,
    )

    # Seed 000, cluster example 2: membership, 10 days of strategic support from the local
    # development manager, 1 CPD day for all NQTs, a monitoring and evaluation package.
    tsa = clusters["teaching_school_alliance"]
    last_start = start.replace(year=start.year - 1)
    last = services.package_agree(
        actor=ctx.actor,
        cluster=tsa,
        title="Cluster working: strategic support",
        term=f"{last_start.year}/{str(last_start.year + 1)[2:]}",
        start=last_start,
        end=start,
        lines=_lines(items, len(members(tsa, last_start)), strategic_support=6),
        development_manager=manager,
        agreed_on=last_start - dt.timedelta(days=30),
    )
    for month, amount in ((1, 1), (2, 1), (4, 1), (6, 0.5), (8, 1)):
        deliver(
            last,
            ItemKind.STRATEGIC_SUPPORT,
            last_start + dt.timedelta(days=30 * month),
            amount,
            "Strategic planning with the alliance's heads.",
        )
    two = services.package_agree(
        actor=ctx.actor,
        cluster=tsa,
        title="Cluster working: strategic support, NQT CPD, monitoring and evaluation",
        term=f"{start.year}/{str(start.year + 1)[2:]}",
        start=start,
        end=start.replace(year=start.year + 1),
        lines=_lines(items, len(members(tsa, start)), strategic_support=8, ect_cpd=1, monitoring=1),
        development_manager=manager,
        agreed_on=start - dt.timedelta(days=45),
    )
    services.package_renegotiate(
        actor=ctx.actor,
        package=two,
        lines=_lines(
            items, len(members(tsa, start)), strategic_support=10, ect_cpd=1, monitoring=1
        ),
        reason="Two more strategic support days for the alliance's new PE curriculum.",
        agreed_on=min(today, start + dt.timedelta(days=40)),
    )
    services.memberships_record(
        actor=ctx.actor, package=two, schools=members(tsa, start), start=start
    )
    deliver(
        two, ItemKind.STRATEGIC_SUPPORT, start + dt.timedelta(days=20), 1, "Audit of PE provision."
    )
    deliver(
        two,
        ItemKind.STRATEGIC_SUPPORT,
        start + dt.timedelta(days=50),
        0.5,
        "Action planning with subject leaders.",
    )
    deliver(
        two,
        ItemKind.ECT_CPD,
        start + dt.timedelta(days=60),
        1,
        "CPD day for the alliance's newly qualified teachers.",
        attendees=9,
    )
    return (
        "Packages: seed 000's two example packages agreed with the sport network's "
        "Preston partnership and Sheffield alliance, part delivered; last year's left 1.5 days."
    )
