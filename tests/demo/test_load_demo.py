"""The demo, loaded once for this module from the real GIAS England file, checked against the
seed documents it reproduces."""

import csv
import io
import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.http import Http404
from django.test import override_settings

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.clusters.selectors import clusters_visible_to
from clusterwork.core.demo import _STEPS, demo_step
from clusterwork.demo import board_trust, bourne, science, sport
from clusterwork.demo.loader import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    MARKER_PROGRAMME,
    load_demo,
    registered_steps,
)
from clusterwork.demo.personas import DEMO_LOGINS, LOGIN_EMAILS, logins_table
from clusterwork.people.models import Person, Role, RoleAssignment, User
from clusterwork.schools.models import GiasImport, Phase, School

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One load for the module, rolled back at its end so other modules see an empty DB."""
    lines: list[str] = []
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        report = load_demo(write=lines.append)
        yield SimpleNamespace(report=report, output="\n".join(lines))
        transaction.set_rollback(True)


def user(key):
    return User.objects.get(email=LOGIN_EMAILS[key])


def current_members(cluster):
    return list(cluster.memberships.current().select_related("school"))


def current_roles(role, **scope):
    return RoleAssignment.objects.current().filter(role=role, **scope)


@pytest.mark.django_db
def test_bourne_clusters_hold_exactly_the_seed_schools_at_their_real_places(demo):
    programme = Programme.objects.get(name=MARKER_PROGRAMME)
    assert programme.kind == Programme.Kind.TRUST
    assert (programme.min_cluster_size, programme.max_cluster_size) == (3, 8)
    assert programme.target_cluster_size == 5
    with bourne.matched_csv_path().open(newline="", encoding="utf-8") as handle:
        seed = {row["seed_name"]: row for row in csv.DictReader(handle)}
    for name, _region, school_names in bourne.CLUSTERS:
        cluster = Cluster.objects.get(programme=programme, name=name)
        assert cluster.kind == Cluster.Kind.MAT_CLUSTER
        members = {m.school.urn: m.school for m in current_members(cluster)}
        assert set(members) == {int(seed[school]["urn"]) for school in school_names}
        for school_name in school_names:
            row = seed[school_name]
            school = members[int(row["urn"])]
            assert school.latitude == pytest.approx(float(row["lat"]), abs=0.002)
            assert school.longitude == pytest.approx(float(row["lon"]), abs=0.002)
            assert school.trust == programme.trust
            assert current_roles(Role.HEADTEACHER, school=school).count() == 1
        assert cluster.lead_school.phase == Phase.SECONDARY
        assert cluster.lead_school.urn in members
        assert current_roles(Role.CLUSTER_COORDINATOR, cluster=cluster).count() == 1
    assert programme.trust.name == "Bourne Education Trust"
    assert current_roles(Role.TRUST_ADMIN, trust=programme.trust).count() == 1
    assert {c.name for c in programme.clusters.all()} == {"Epsom", "CAS", "Woking"}


@pytest.mark.django_db
def test_every_science_cluster_is_a_sized_network_with_a_coordinator_and_subject_leaders(demo):
    programme = Programme.objects.get(name=science.PROGRAMME_NAME)
    clusters = list(programme.clusters.all())
    assert 5 <= len(clusters) <= 6
    for cluster in clusters:
        members = current_members(cluster)
        assert 3 <= len(members) <= 12, cluster
        assert cluster.kind == Cluster.Kind.SUBJECT_NETWORK
        assert current_roles(Role.CLUSTER_COORDINATOR, cluster=cluster).count() == 1
        for membership in members:
            assert membership.school.phase == Phase.PRIMARY
            assert current_roles(Role.SUBJECT_LEADER, school=membership.school).exists()
            assert current_roles(Role.HEADTEACHER, school=membership.school).exists()
        # Nearby: every member within 25 km of the lead school.
        lead = cluster.lead_school
        for membership in members:
            school = membership.school
            assert (
                (school.easting - lead.easting) ** 2 + (school.northing - lead.northing) ** 2
            ) ** 0.5 < 25_000, school
    assert {c.status for c in clusters} == {"forming", "active", "independent"}
    assert {c.started_on.year for c in clusters} == {2022, 2023, 2024, 2025}
    assert len({c.region for c in clusters}) >= 4


@pytest.mark.django_db
def test_science_history_has_a_move_and_a_leaver(demo):
    moved = ClusterMembership.objects.filter(
        programme__name=science.PROGRAMME_NAME, end__isnull=False
    ).select_related("cluster", "school")
    assert len(moved) == 2
    by_reason = {m.end_reason: m for m in moved}
    move = by_reason[science.MOVE[3]]
    assert move.cluster.name == "Bristol Science Cluster"
    successor = ClusterMembership.objects.get(school=move.school, start=move.end)
    assert successor.cluster.name == "South Gloucestershire Science Cluster"
    leave = by_reason[science.LEAVE[2]]
    assert not ClusterMembership.objects.filter(school=leave.school, end__isnull=True).exists()


@pytest.mark.django_db
def test_board_trust_runs_cluster_boards_over_one_county(demo):
    programme = Programme.objects.get(name=board_trust.PROGRAMME_NAME)
    assert programme.governance == Programme.Governance.CLUSTER_BOARDS
    assert programme.trust.name == board_trust.TRUST_NAME
    clusters = list(programme.clusters.all())
    assert 2 <= len(clusters) <= 3
    schools = [m.school for c in clusters for m in current_members(c)]
    assert 12 <= len(schools) <= 15
    assert {s.local_authority.name for s in schools} == {board_trust.LA}
    for school in schools:
        assert school.trust == programme.trust
        assert current_roles(Role.HEADTEACHER, school=school).count() == 1
        assert current_roles(Role.CHAIR_OF_GOVERNORS, school=school).count() == 1
    for cluster in clusters:
        (lead,) = current_roles(Role.CLUSTER_COORDINATOR, cluster=cluster)
        assert current_roles(Role.HEADTEACHER, person=lead.person, school=cluster.lead_school)
    assert current_roles(Role.VIEWER, trust=programme.trust).count() == 1
    assert current_roles(Role.TRUST_ADMIN, trust=programme.trust).count() == 1


@pytest.mark.django_db
def test_sport_network_has_one_cluster_of_each_kind(demo):
    programme = Programme.objects.get(name=sport.PROGRAMME_NAME)
    kinds = sorted(programme.clusters.values_list("kind", flat=True))
    assert kinds == sorted(set(Cluster.Kind.values) - {Cluster.Kind.SUBJECT_NETWORK})
    for cluster in programme.clusters.all():
        assert current_roles(Role.CLUSTER_COORDINATOR, cluster=cluster).count() == 1
        assert len(current_members(cluster)) >= 2
    online = programme.clusters.get(kind=Cluster.Kind.ONLINE)
    schools = [m.school for m in current_members(online)]
    for a, b in itertools.combinations(schools, 2):
        assert ((a.easting - b.easting) ** 2 + (a.northing - b.northing) ** 2) ** 0.5 > 50_000
    feeders = programme.clusters.get(kind=Cluster.Kind.LOCAL_PARTNERSHIP)
    phases = sorted(m.school.phase for m in current_members(feeders))
    assert phases.count(Phase.SECONDARY) == 1 and phases.count(Phase.PRIMARY) >= 3


@pytest.mark.django_db
def test_coordinator_sees_their_cluster_and_the_outsider_none_of_science(demo):
    epsom = Cluster.objects.get(programme__name=MARKER_PROGRAMME, name="Epsom")
    assert set(clusters_visible_to(user("epsom_coordinator"))) == {epsom}
    assert set(clusters_visible_to(user("epsom_head"))) == {epsom}
    bristol = Cluster.objects.get(name="Bristol Science Cluster")
    assert set(clusters_visible_to(user("science_coordinator"))) == {bristol}
    assert set(clusters_visible_to(user("science_leader"))) == {bristol}
    outsider = user("outsider")
    visible = list(clusters_visible_to(outsider))
    assert [c.kind for c in visible] == [Cluster.Kind.ONLINE]
    assert visible[0].programme.name == sport.PROGRAMME_NAME
    with pytest.raises(Http404):
        access_cluster(outsider, bristol.pk)
    science_count = Cluster.objects.filter(programme__name=science.PROGRAMME_NAME).count()
    assert (
        clusters_visible_to(user("science_admin"))
        .filter(programme__name=science.PROGRAMME_NAME)
        .count()
        == science_count
    )
    assert clusters_visible_to(user("staff_admin")).count() == Cluster.objects.count()


@pytest.mark.django_db
def test_every_demo_login_signs_in_and_is_in_the_printed_table(demo):
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        for login in DEMO_LOGINS:
            assert authenticate(username=login.email, password=DEMO_PASSWORD), login.email
            assert f"`{login.email}`" in demo.output
    assert logins_table() in demo.output


def seed_people() -> tuple[str, set[str], set[str]]:
    """The seeds' text, their email addresses, and the name parts of those addresses."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    emails = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text))
    parts = {part for email in emails for part in email.split("@")[0].split(".") if len(part) > 2}
    return text.casefold(), emails, parts - {"info"}


@pytest.mark.django_db
def test_no_seed_contact_appears_in_the_demo(demo):
    text, emails, name_parts = seed_people()
    assert len(emails) >= 3 and {"sainsbury", "mann"} <= name_parts  # the check has teeth
    people = list(Person.objects.all())
    assert len(people) > 100
    for person in people:
        assert person.full_name.casefold() not in text, person.full_name
        assert not {w.casefold() for w in person.full_name.split()} & name_parts, person
        assert person.email.endswith(f"@{DEMO_DOMAIN}")
        assert person.email not in emails
    for account in User.objects.all():
        assert account.email.endswith(f"@{DEMO_DOMAIN}")
        assert account.full_name.casefold() not in text
    # The executive leaders named in seed 003 in particular.
    seed_003 = (SEEDS / "003_1606e85523bd66eb.txt").read_text(encoding="utf-8")
    leaders = re.search(r"leaders for Bourne Education Trust are (.+?)\.", seed_003).group(1)
    for name in re.split(r", | and ", leaders):
        assert not Person.objects.filter(full_name__iexact=name.strip()).exists()
        assert not Person.objects.filter(full_name__icontains=name.split()[-1]).exists()


@pytest.mark.django_db
def test_second_run_changes_nothing_and_lists_the_logins(demo):
    models = (
        School,
        GiasImport,
        Programme,
        Cluster,
        ClusterMembership,
        Person,
        RoleAssignment,
        User,
    )
    before = {model: model.objects.count() for model in models}
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert {model: model.objects.count() for model in models} == before
    assert "Demo already loaded" in out.getvalue()
    assert logins_table() in out.getvalue()


@pytest.mark.django_db
def test_force_reimport_imports_gias_again_without_rebuilding_the_demo(demo):
    imports, people = GiasImport.objects.count(), Person.objects.count()
    lines: list[str] = []
    report = load_demo(write=lines.append, force_reimport=True)
    assert report.already_loaded
    assert GiasImport.objects.count() == imports + 1
    assert "22010 rows read" in "\n".join(lines)
    assert Person.objects.count() == people


def test_steps_run_in_order_and_later_features_can_add_theirs():
    orders = [step.order for step in registered_steps()]
    assert orders == sorted(orders)

    @demo_step(order=10_000, name="test.later_feature")
    def later_feature(ctx):
        return "later"

    try:
        names = [step.name for step in registered_steps()]
        assert names.index("sport") < names.index("test.later_feature")
        assert names[-1] == "test.later_feature"
    finally:
        del _STEPS["test.later_feature"]
