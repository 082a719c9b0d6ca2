"""Building blocks for the packages tests: seed 000's catalogue, a development manager, and
seed 000's second example package agreed with a cluster."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from clusterwork.packages import services
from clusterwork.packages.models import ItemKind, PackageItem
from clusterwork.people import services as people_services
from clusterwork.people.models import Role

PRICES = {ItemKind.MEMBERSHIP: 15_000, ItemKind.CPD_DAY: 60_000, ItemKind.STRATEGIC_SUPPORT: 55_000}


def catalogue(programme) -> dict[str, PackageItem]:
    services.catalogue_seed(actor=None, programme=programme, prices=PRICES)
    return {i.kind: i for i in PackageItem.objects.filter(programme=programme)}


def development_manager(programme=None, *, cluster=None, name="Dana Devman", email=None):
    person = people_services.person_create(
        actor=None,
        full_name=name,
        email=email or f"{name.split()[0].lower()}@dm.example.org",
        password="x",
    )
    scope = {"cluster": cluster} if cluster is not None else {"programme": programme}
    people_services.role_assign(
        actor=None,
        person=person,
        role=Role.DEVELOPMENT_MANAGER,
        start=dt.date(2024, 9, 1),
        **scope,
    )
    return person


def example_two(cluster, *, manager=None, start=None, days=10, schools=None):
    """Seed 000's cluster example 2: membership for each school, 10 days of strategic support,
    1 CPD day for all NQTs, a monitoring and evaluation package."""
    items = catalogue(cluster.programme)
    start = start or timezone.localdate() - dt.timedelta(days=90)
    schools = schools if schools is not None else cluster.memberships.current().count()
    lines = [
        services.LineIn(items[ItemKind.MEMBERSHIP], Decimal(schools), 15_000 * schools),
        services.LineIn(items[ItemKind.STRATEGIC_SUPPORT], Decimal(days), 55_000 * days),
        services.LineIn(items[ItemKind.ECT_CPD], Decimal(1), 60_000),
        services.LineIn(items[ItemKind.MONITORING], Decimal(1), 120_000),
    ]
    return services.package_agree(
        actor=None,
        cluster=cluster,
        title="Cluster working",
        term="this year",
        start=start,
        end=start + dt.timedelta(days=365),
        lines=lines,
        development_manager=manager,
    ), items
