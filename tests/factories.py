"""factory-boy factories. Domain objects with rules (clusters, memberships, roles) are
made through the services, so tests exercise the same path as the product."""

import datetime as dt

import factory

from clusterwork.schools.models import LocalAuthority, Phase, School, Trust


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Authority {n}")
    code = factory.Sequence(lambda n: f"{800 + n % 199}")


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"Test Learning Trust {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 900000 + n)
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    phase = Phase.PRIMARY
    status = "Open"
    local_authority = factory.SubFactory(LocalAuthorityFactory, name="Surrey")
    town = "Epsom"
    postcode = "KT19 0PJ"
    # A 200 × 200 grid south of London: distinct sites for the first 40,000 schools of a test
    # session, and always inside the British National Grid however many tests ran before.
    easting = factory.Sequence(lambda n: 520000 + 150 * (n % 200))
    northing = factory.Sequence(lambda n: 161000 + 90 * (n // 200 % 200))
    latitude = factory.Sequence(lambda n: 51.3696 + 0.0008 * (n // 200 % 200))
    longitude = factory.Sequence(lambda n: -0.2502 + 0.0021 * (n % 200))
    open_date = dt.date(2010, 9, 1)


def end_current_roles(person):
    """End a person's roles today, through the service (erasure refuses while any is held)."""
    from django.db.models import Q
    from django.utils import timezone

    from clusterwork.people.services import role_end

    today = timezone.localdate()
    for role in person.roles.filter(Q(end__isnull=True) | Q(end__gt=today)):
        role_end(actor=None, assignment=role, end=today)
