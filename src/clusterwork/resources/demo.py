"""Demo: the Bristol and South Gloucestershire science clusters share themed boxes and a set
of data loggers; one box came back needing restocking, one is overdue, one is booked."""

import datetime as dt

from clusterwork.core.demo import demo_step

from . import services

ITEMS = (
    (
        "Space themed box",
        "themed_box",
        "Planets, a star projector and investigation cards for years 5 and 6.",
    ),
    (
        "Electricity themed box",
        "themed_box",
        "Bulbs, buzzers, switches and wires for 30 pupils; circuit challenge cards.",
    ),
    (
        "Data loggers (class set)",
        "kit",
        "15 temperature, light and sound loggers with a charging case.",
    ),
)


@demo_step(order=65, name="resources")
def build(ctx) -> str:
    clusters = ctx.objects["science.clusters"]
    bristol, south_glos = clusters["Bristol"], clusters["South Gloucestershire"]
    today = dt.date.today()
    members = [m.school for m in bristol.memberships.current().select_related("school")]
    neighbours = [m.school for m in south_glos.memberships.current().select_related("school")]
    owner = bristol.lead_school or members[0]
    made = {}
    for name, kind, description in ITEMS:
        made[name] = services.resource_create(
            actor=ctx.actor,
            cluster=bristol,
            name=name,
            kind=kind,
            owner_school=owner,
            location=f"{owner.name}, science store room",
            description=description,
            shared_with=[south_glos],
        )
    space, electricity, loggers = made.values()
    borrowers = [s for s in members if s != owner]

    # Last half term: the space box went to a Bristol school and came back short.
    back = services.loan_book(
        actor=ctx.actor,
        resource=space,
        school=borrowers[0],
        start=today - dt.timedelta(days=60),
        end=today - dt.timedelta(days=46),
        purpose="Year 5 Earth and space unit",
        backdated=True,
    )
    services.loan_check_out(actor=ctx.actor, loan=back)
    services.loan_return(
        actor=ctx.actor,
        loan=back,
        condition="needs_repair",
        notes="Two planet models missing; star projector needs new batteries.",
        on=today - dt.timedelta(days=46),
    )
    # Overdue: the electricity box with a South Gloucestershire school since last week.
    late = services.loan_book(
        actor=ctx.actor,
        resource=electricity,
        school=neighbours[0],
        cluster=south_glos,
        start=today - dt.timedelta(days=21),
        end=today - dt.timedelta(days=5),
        purpose="Year 4 electricity",
        backdated=True,
    )
    services.loan_check_out(actor=ctx.actor, loan=late)
    # Out now and booked next.
    now = services.loan_book(
        actor=ctx.actor,
        resource=loggers,
        school=borrowers[1],
        start=today,
        end=today + dt.timedelta(days=10),
        purpose="Investigating insulation",
    )
    services.loan_check_out(actor=ctx.actor, loan=now)
    services.loan_book(
        actor=ctx.actor,
        resource=loggers,
        school=neighbours[1],
        cluster=south_glos,
        start=today + dt.timedelta(days=10),
        end=today + dt.timedelta(days=24),
        purpose="Sound in the environment",
    )
    return (
        "Resources: Bristol and South Gloucestershire share 2 themed boxes and data loggers; "
        "1 loan overdue, 1 out, 1 booked."
    )
