"""What each persona's pages *show*, not only their status codes.

A page that answers 200 may still leak: a what-if board that lists another cluster's schools,
a person page that names a role in a programme the reader cannot see. For every page of the
permission matrix (and every GET of the API matrix), each persona's 200 answer is searched
for the clusters, programmes, member schools and people outside that persona's scope.

The world of ``tests/conftest.py`` gets distinctive names first, so that a match means a leak
(the word "Coordinator" is on many pages; "Cora Coordinova" only where she may be seen).
Directory pages (public GIAS data) may name any school, but not its clusters or people.
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from clusterwork.people import services as people_services
from clusterwork.people.models import Person, Role
from clusterwork.schools.models import School
from tests.api.conftest import call
from tests.api.test_permissions import MATRIX as API_MATRIX
from tests.api.test_permissions import PREFIX

from .matrix import ALL_ROUTES, OK, PERSONAS

SCHOOL_NAMES = {
    "alpha": ["Aldwick Primary", "Amberley Primary", "Arundel Primary"],
    "beta": ["Bramber Primary", "Burpham Primary", "Bosham Primary"],
    "gamma": ["Goring Primary", "Graffham Primary"],
}
PERSON_NAMES = {
    "programme_admin": "Priya Progadmin",
    "coordinator": "Cora Coordinova",
    "head": "Hugo Headley",
    "viewer": "Vera Viewfield",
    "outsider": "Olga Outlander",
}
# Staff of a member school of each cluster, holding a role there.
STAFF = {"alpha": "Zelda Alphastaff", "beta": "Boris Betastaff", "gamma": "Gina Gammastaff"}
# Directory pages: public GIAS data, where any school may be named.
DIRECTORY = {"school_list", "school_detail", "school_history", "trust_detail", "member_search"}


# Someone with a role on both sides: each side sees the person, but never the other role.
BRIDGE = "Xander Bridges"


def _rename(world):
    schools = iter(world.schools)
    for names in SCHOOL_NAMES.values():
        for name in names:
            School.objects.filter(pk=next(schools).pk).update(name=name)
    for persona, name in PERSON_NAMES.items():
        Person.objects.filter(pk=getattr(world.users, persona).person.pk).update(full_name=name)
    for cluster, school in (("alpha", 1), ("beta", 3), ("gamma", 6)):
        person = people_services.person_create(
            actor=None, full_name=STAFF[cluster], school=world.schools[school]
        )
        people_services.role_assign(
            actor=None,
            person=person,
            role=Role.SUBJECT_LEADER,
            school=world.schools[school],
            start=world.alpha.memberships.first().start,
        )
    bridge = people_services.person_create(actor=None, full_name=BRIDGE)
    for role, cluster in ((Role.SUBJECT_LEADER, world.alpha), (Role.VIEWER, world.gamma)):
        people_services.role_assign(actor=None, person=bridge, role=role, cluster=cluster)


# What each persona must never be shown: the clusters, schools and people outside its scope.
SCIENCE_ALPHA_ONLY = {
    "clusters": ["Beta", "Gamma"],
    "programmes": ["Sport Network"],
    "schools": SCHOOL_NAMES["beta"] + SCHOOL_NAMES["gamma"],
    "people": [STAFF["beta"], STAFF["gamma"], PERSON_NAMES["outsider"]],
}
HIDDEN = {
    "programme_admin": {
        "clusters": ["Gamma"],
        "programmes": ["Sport Network"],
        "schools": SCHOOL_NAMES["gamma"],
        "people": [STAFF["gamma"], PERSON_NAMES["outsider"]],
    },
    "coordinator": SCIENCE_ALPHA_ONLY,
    "head": SCIENCE_ALPHA_ONLY,
    "viewer": SCIENCE_ALPHA_ONLY,
    "outsider": {
        "clusters": ["Alpha", "Beta"],
        "programmes": ["Science Clusters"],
        "schools": SCHOOL_NAMES["alpha"] + SCHOOL_NAMES["beta"],
        "people": [
            STAFF["alpha"],
            STAFF["beta"],
            *(PERSON_NAMES[p] for p in ("programme_admin", "coordinator", "head", "viewer")),
        ],
    },
    "superuser": {"clusters": [], "programmes": [], "schools": [], "people": []},
}


def _without(hidden: dict, person: str) -> dict:
    return {**hidden, "people": [p for p in hidden["people"] if p != person]}


# Invited as a guest to one of alpha's meetings, the outsider sees that meeting — its cluster,
# its programme and who else is invited, as any invitation shows — and nothing else of them;
# the meeting's page names the guest on its register.
GUEST_PAGES = {
    "event_detail-invited-outsider": {
        "outsider": {
            "clusters": ["Beta"],
            "programmes": [],
            "schools": SCHOOL_NAMES["beta"],
            "people": [STAFF["beta"], PERSON_NAMES["programme_admin"]],
        },
        **{
            persona: _without(HIDDEN[persona], PERSON_NAMES["outsider"])
            for persona in ("programme_admin", "coordinator", "head", "viewer")
        },
    }
}


KINDS = {"clusters": "cluster", "programmes": "programme", "people": "person", "schools": "school"}


def leaks(persona: str, text: str, *, directory: bool, hidden=None) -> list[str]:
    hidden = hidden or HIDDEN[persona]
    kinds = ["clusters", "programmes", "people"] + ([] if directory else ["schools"])
    return [
        f"{KINDS[kind]} {name!r}"
        for kind in kinds
        for name in hidden[kind]
        if re.search(rf"\b{re.escape(name)}\b", text)
    ]


@pytest.fixture
def named_world(world):
    _rename(world)
    return world


PAGE_ROUTES = [r for r in ALL_ROUTES if r.method == "get" and "anonymous" not in r.expect]


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda r: r.id)
def test_pages_show_nothing_outside_the_personas_scope(route, named_world, client):
    if route.setup:
        route.setup(named_world)
    found = {}
    for persona in PERSONAS:
        client.force_login(getattr(named_world.users, persona))
        with transaction.atomic():
            response = client.get(
                reverse(route.name, kwargs=route.kwargs(named_world)), route.data(named_world)
            )
            transaction.set_rollback(True)
        if response.status_code != 200 or route.expect[persona] != OK:
            continue
        name = route.name.split(":")[-1]
        # Exports and downloads stream: their rows are checked too.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace")
        hidden = GUEST_PAGES.get(route.id, {}).get(persona)
        wrong = leaks(persona, text, directory=name in DIRECTORY, hidden=hidden)
        if wrong:
            found[persona] = wrong
    assert found == {}


def test_every_school_page_hides_other_scopes_memberships_and_people(named_world, client):
    # The directory names every school; what a school page adds about it is scoped.
    for persona in PERSONAS:
        client.force_login(getattr(named_world.users, persona))
        for school in named_world.schools:
            text = client.get(reverse("school_detail", args=[school.urn])).content.decode()
            assert leaks(persona, text, directory=True) == [], (persona, school.name)


def test_api_reads_show_nothing_outside_the_personas_scope(named_world, as_persona):
    found = {}
    for row in API_MATRIX:
        if row.method != "GET":
            continue
        for persona in PERSONAS:
            if row.expected[persona] != 200:
                continue
            with transaction.atomic():
                url = PREFIX + row.route.format(**row.url_args(named_world))
                response = call(as_persona(persona), "GET", url)
                transaction.set_rollback(True)
            directory = row.route.startswith(("/schools", "/trusts", "/local-authorities"))
            wrong = leaks(persona, response.content.decode(), directory=directory)
            if wrong:
                found[f"{row.key} as {persona}"] = wrong
    assert found == {}


def test_the_check_finds_a_leak_when_there_is_one():
    # Guards the guard: a page naming beta's school, beta and its staff is caught, and on a
    # directory page the school alone is allowed.
    text = "<td>Bramber Primary</td><td>Beta</td><td>Boris Betastaff</td>"
    assert leaks("coordinator", text, directory=False) == [
        "cluster 'Beta'",
        "person 'Boris Betastaff'",
        "school 'Bramber Primary'",
    ]
    assert leaks("coordinator", text, directory=True) == [
        "cluster 'Beta'",
        "person 'Boris Betastaff'",
    ]
    assert leaks("coordinator", "<td>Betamax</td>", directory=False) == []
