"""Named personas (as in healthchecks' alice/bob/charlie) over a small world of two
programmes, so every URL can be checked against every persona.

world:
  science  — a national programme; clusters ``alpha`` (3 schools) and ``beta`` (3 schools)
  sport    — another programme; cluster ``gamma`` (2 schools)
personas (users, password ``PASSWORD``):
  programme_admin — programme admin of science         (sees/changes alpha and beta)
  coordinator     — cluster coordinator of alpha      (sees/changes alpha only)
  head            — headteacher of alpha's first school (sees alpha, read-only)
  viewer          — viewer of alpha                   (sees alpha, read-only)
  outsider        — coordinator of gamma in sport      (must get 404 on science)
  superuser       — staff superuser                   (sees everything)
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client

from clusterwork.clusters import services as cluster_services
from clusterwork.people import services as people_services
from clusterwork.people.models import Role

from .factories import SchoolFactory

PASSWORD = "correct-horse-battery-staple"
START = dt.date(2024, 9, 1)


def make_persona(name, role=None, **scope):
    person = people_services.person_create(
        actor=None,
        full_name=name.replace("_", " ").title(),
        email=f"{name}@example.org",
        password=PASSWORD,
    )
    if role:
        people_services.role_assign(actor=None, person=person, role=role, start=START, **scope)
    return person.user


@pytest.fixture
def world(db):
    science = cluster_services.programme_create(actor=None, name="Science Clusters")
    sport = cluster_services.programme_create(
        actor=None, name="Sport Network", kind="membership_organisation"
    )
    alpha = cluster_services.cluster_create(
        actor=None, programme=science, name="Alpha", kind="subject_network", region="Surrey"
    )
    beta = cluster_services.cluster_create(
        actor=None, programme=science, name="Beta", kind="subject_network"
    )
    gamma = cluster_services.cluster_create(
        actor=None, programme=sport, name="Gamma", kind="school_sport_partnership"
    )
    schools = SchoolFactory.create_batch(8)
    for cluster, members in ((alpha, schools[0:3]), (beta, schools[3:6]), (gamma, schools[6:8])):
        for school in members:
            cluster_services.membership_add(actor=None, cluster=cluster, school=school, start=START)
    users = SimpleNamespace(
        programme_admin=make_persona("programme_admin", Role.PROGRAMME_ADMIN, programme=science),
        coordinator=make_persona("coordinator", Role.CLUSTER_COORDINATOR, cluster=alpha),
        head=make_persona("head", Role.HEADTEACHER, school=schools[0]),
        viewer=make_persona("viewer", Role.VIEWER, cluster=alpha),
        outsider=make_persona("outsider", Role.CLUSTER_COORDINATOR, cluster=gamma),
    )
    from clusterwork.people.models import User

    users.superuser = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    return SimpleNamespace(
        science=science,
        sport=sport,
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        schools=schools,
        users=users,
    )


@pytest.fixture
def login(client):
    """``login(user)`` signs the Django test client in as ``user`` and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing strength is Django's concern; tests need speed (thousands of logins).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_not_required(settings):
    # Required of admins in production (MFA_REQUIRED_FOR_ADMINS); the personas sign in without
    # it so every page can be checked. tests/people/test_sign_in.py checks the requirement.
    settings.MFA_REQUIRED_FOR_ADMINS = False


@pytest.fixture
def as_persona(world):
    """``as_persona("coordinator")`` → a test client signed in (session) as that persona."""

    def _client(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            client.force_login(getattr(world.users, name))
        return client

    return _client
