"""docs/permissions.md lists every permission with the roles that hold it. This test asks the
registered rules themselves, for one person in each role, and fails when the document and the
rules disagree — a permission missing from either side, or a tick in the wrong place.

The world: trust T runs programme P with clusters C1 (schools s1–s3, s1 its lead school) and
C2 (s4, s5); a person in each role below; an outsider coordinates a cluster of another
programme.
"""

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import rules

from clusterwork.clusters import services as cluster_services
from clusterwork.formation.models import FormationRun
from clusterwork.goals.models import Goal
from clusterwork.governance.models import Board, InterventionCase, MoveProposal
from clusterwork.meetings.models import Event, Invitation
from clusterwork.packages.models import Package
from clusterwork.people import services as people_services
from clusterwork.people.models import Role, User
from clusterwork.resources import services as resource_services
from clusterwork.resources.models import Loan
from clusterwork.sharing.models import LibraryItem, Post, Thread
from clusterwork.stages.models import Application
from clusterwork.surveys.models import Questionnaire, Round
from tests.factories import SchoolFactory, TrustFactory

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
START = dt.date(2024, 9, 1)
APPS = {
    "circumstances",
    "clusters",
    "formation",
    "funding",
    "goals",
    "governance",
    "meetings",
    "packages",
    "people",
    "reports",
    "resources",
    "schools",
    "sharedservices",
    "sharing",
    "stages",
    "surveys",
}
# The columns of the document's table, in order: (heading, persona).
COLUMNS = [
    ("Programme admin", "programme_admin"),
    ("Trust admin", "trust_admin"),
    ("Cluster coordinator", "coordinator"),
    ("Headteacher", "headteacher"),
    ("Chair of governors", "chair"),
    ("Subject leader (school)", "school_subject_leader"),
    ("Subject leader (cluster)", "cluster_subject_leader"),
    ("Viewer (cluster)", "viewer"),
    ("Business manager (school)", "business_manager"),
    ("Finance officer (programme)", "finance_officer"),
    ("Development manager (programme)", "development_manager"),
    ("Trust director", "trust_director"),
    ("Outsider", "outsider"),
    ("Superuser", "superuser"),
]


@pytest.fixture
def org(db):
    trust = TrustFactory(name="Doc Trust")
    programme = cluster_services.programme_create(actor=None, name="Doc Programme", trust=trust)
    other = cluster_services.programme_create(actor=None, name="Other Programme")
    c1 = cluster_services.cluster_create(
        actor=None, programme=programme, name="C1", kind="mat_cluster"
    )
    c2 = cluster_services.cluster_create(
        actor=None, programme=programme, name="C2", kind="mat_cluster"
    )
    far = cluster_services.cluster_create(actor=None, programme=other, name="Far", kind="online")
    schools = SchoolFactory.create_batch(6)
    for cluster, members in ((c1, schools[:3]), (c2, schools[3:5]), (far, schools[5:])):
        for school in members:
            cluster_services.membership_add(actor=None, cluster=cluster, school=school, start=START)
    s1 = schools[0]
    # C1's lead school is s1: its business manager is the lead school's.
    c1 = cluster_services.cluster_update(actor=None, cluster=c1, lead_school=s1)

    def persona(name, role, **scope):
        person = people_services.person_create(
            actor=None, full_name=name, email=f"{name}@doc.test", password="x"
        )
        people_services.role_assign(actor=None, person=person, role=role, start=START, **scope)
        return person.user

    users = SimpleNamespace(
        programme_admin=persona("pa", Role.PROGRAMME_ADMIN, programme=programme),
        trust_admin=persona("ta", Role.TRUST_ADMIN, trust=trust),
        coordinator=persona("co", Role.CLUSTER_COORDINATOR, cluster=c1),
        headteacher=persona("ht", Role.HEADTEACHER, school=s1),
        chair=persona("cg", Role.CHAIR_OF_GOVERNORS, school=s1),
        school_subject_leader=persona("sls", Role.SUBJECT_LEADER, school=s1),
        cluster_subject_leader=persona("slc", Role.SUBJECT_LEADER, cluster=c1),
        viewer=persona("vw", Role.VIEWER, cluster=c1),
        business_manager=persona("bm", Role.BUSINESS_MANAGER, school=s1),
        finance_officer=persona("fo", Role.FINANCE_OFFICER, programme=programme),
        development_manager=persona("dm", Role.DEVELOPMENT_MANAGER, programme=programme),
        trust_director=persona("td", Role.TRUST_DIRECTOR, trust=trust),
        outsider=persona("out", Role.CLUSTER_COORDINATOR, cluster=far),
        superuser=User.objects.create_superuser(email="root@doc.test", password="x"),
    )
    # Someone of the staff of a member school of C1 who is none of the personas.
    staff = people_services.person_create(actor=None, full_name="Sam Staff", school=schools[1])
    people_services.role_assign(
        actor=None, person=staff, role=Role.SUBJECT_LEADER, school=schools[1], start=START
    )
    return SimpleNamespace(
        trust=trust,
        programme=programme,
        c1=c1,
        s1=s1,
        staff=staff,
        membership=c1.memberships.get(school=s1),
        users=users,
    )


def _cluster_board(o):
    return Board.objects.get_or_create(cluster=o.c1, defaults={"kind": "cluster", "name": "B"})[0]


def _claim(o):
    """A claim of a member school (not the lead school) of C1, for Part B."""
    from clusterwork.funding.models import Budget, Category, Claim, Stream

    stream = Stream(programme=o.programme, kind=Stream.Kind.PART_B, name="Part B")
    budget = Budget(cluster=o.c1, year=1, lead_school=o.s1)
    return Claim(budget=budget, school=o.staff.school, category=Category(stream=stream))


def _coaching(o):
    """A coaching in C1 between the staff member and s1's subject leader (who coaches)."""
    from clusterwork.sharing import services as sharing_services

    if not hasattr(o, "coaching"):
        o.coaching = sharing_services.coaching_arrange(
            actor=None,
            cluster=o.c1,
            focus="Questioning",
            coach=o.users.school_subject_leader.person,
            coachees=[o.staff],
            start=START,
        )
    return o.coaching


def _event(o):
    return Event(cluster=o.c1, programme=o.programme, title="A meeting")


def _resource(o):
    if not hasattr(o, "resource"):
        o.resource = resource_services.resource_create(
            actor=None,
            cluster=o.c1,
            name="A box",
            kind="themed_box",
            owner_school=o.s1,
            location="Hall",
        )
    return o.resource


# What each permission is checked on, as the pages ask it. Unsaved rows are enough where the
# rule reads only their links.
OBJECTS = {
    "circumstances.record_change": lambda o: o.c1,
    "circumstances.record_staff_change": lambda o: o.c1,
    "clusters.add_cluster": lambda o: o.programme,
    "clusters.change_cluster": lambda o: o.c1,
    "clusters.change_clustermembership": lambda o: o.membership,
    "clusters.change_programme": lambda o: o.programme,
    "clusters.view_cluster": lambda o: o.c1,
    "clusters.view_clustermembership": lambda o: o.membership,
    "clusters.view_programme": lambda o: o.programme,
    "formation.change_formationrun": lambda o: FormationRun(programme=o.programme),
    "formation.form_clusters": lambda o: o.programme,
    "formation.view_formationrun": lambda o: FormationRun(programme=o.programme),
    "funding.add_claim": lambda o: o.c1,
    "funding.approve_claim": _claim,
    "funding.manage_funding": lambda o: o.programme,
    "funding.pay_claim": _claim,
    "funding.reimburse_claim": _claim,
    "funding.submit_claim": _claim,
    "funding.view_funding": lambda o: o.c1,
    "goals.plan_cluster": lambda o: o.c1,
    "goals.report_progress": lambda o: Goal(cluster=o.c1, title="A goal"),
    "governance.appoint_lead_head": lambda o: o.c1,
    "governance.configure_board": _cluster_board,
    "governance.manage_case": lambda o: InterventionCase(cluster=o.c1, school=o.s1),
    "governance.manage_scheme": lambda o: o.trust,
    "governance.manage_triggers": lambda o: o.trust,
    "governance.propose_move": lambda o: MoveProposal(
        from_cluster=o.c1, to_cluster=o.c1, school=o.s1
    ),
    "governance.run_board": _cluster_board,
    "governance.set_up_board": lambda o: o.c1,
    "governance.view_board": _cluster_board,
    "governance.view_scheme": lambda o: o.trust,
    "meetings.add_event": lambda o: o.c1,
    "meetings.add_programme_event": lambda o: o.programme,
    "meetings.change_event": _event,
    "meetings.change_invitation": lambda o: Invitation(event=_event(o), person=o.staff),
    "meetings.rsvp_invitation": lambda o: Invitation(event=_event(o), person=o.staff),
    "meetings.send_engagement_email": lambda o: o.c1,
    "meetings.set_engagement_rule": lambda o: o.programme,
    "meetings.view_engagement": lambda o: o.c1,
    "meetings.view_programme_engagement": lambda o: o.programme,
    "packages.agree_package": lambda o: o.c1,
    "packages.log_delivery": lambda o: Package(cluster=o.c1, programme=o.programme),
    "packages.manage_catalogue": lambda o: o.programme,
    "packages.record_membership": lambda o: Package(cluster=o.c1, programme=o.programme),
    "people.assign_role": lambda o: o.c1,
    "people.change_person": lambda o: o.staff,
    "people.erase_personal_data": lambda o: o.staff,
    "people.export_personal_data": lambda o: o.staff,
    "people.view_audit": lambda o: o.programme,
    "people.view_person": lambda o: o.staff,
    "reports.view_cluster_dashboard": lambda o: o.c1,
    "reports.view_programme_dashboard": lambda o: o.programme,
    "reports.view_school_dashboard": lambda o: o.s1,
    "reports.view_trust_dashboard": lambda o: o.trust,
    "resources.add_resource": lambda o: o.c1,
    "resources.book_resource": lambda o: _resource(o),
    "resources.cancel_loan": lambda o: Loan(resource=_resource(o), cluster=o.c1, school=o.s1),
    "resources.lend_resource": lambda o: _resource(o),
    "schools.change_school": lambda o: o.s1,
    "schools.change_trust": lambda o: o.trust,
    "schools.view_localauthority": lambda o: o.s1.local_authority,
    "schools.view_school": lambda o: o.s1,
    "schools.view_trust": lambda o: o.trust,
    "sharedservices.manage_deployment": lambda o: o.c1,
    "sharedservices.manage_service": lambda o: o.c1,
    "sharing.add_item": lambda o: o.c1,
    "sharing.arrange_coaching": lambda o: o.c1,
    "sharing.change_item": lambda o: LibraryItem(cluster=o.c1, programme=o.programme),
    "sharing.log_coaching_session": _coaching,
    "sharing.manage_partners": lambda o: o.c1,
    "sharing.mark_item_used": lambda o: LibraryItem(cluster=o.c1, programme=o.programme),
    "sharing.moderate_thread": lambda o: Thread(cluster=o.c1, programme=o.programme),
    "sharing.read_programme_threads": lambda o: o.programme,
    "sharing.reply_thread": lambda o: Thread(cluster=o.c1, programme=o.programme),
    "sharing.start_thread": lambda o: o.c1,
    "sharing.withdraw_post": lambda o: Post(thread=Thread(cluster=o.c1, programme=o.programme)),
    "stages.add_application": lambda o: o.programme,
    "stages.advance_stage": lambda o: o.c1,
    "stages.decide_application": lambda o: Application(programme=o.programme),
    "stages.manage_stages": lambda o: o.programme,
    "stages.tick_checklist": lambda o: o.c1,
    "surveys.add_questionnaire": lambda o: o.programme,
    "surveys.manage_questionnaire": lambda o: Questionnaire(programme=o.programme),
    "surveys.manage_round": lambda o: Round(
        questionnaire=Questionnaire(programme=o.programme), cluster=o.c1
    ),
    "surveys.send_round": lambda o: o.c1,
}


def registered_permissions() -> set[str]:
    return {name for name in rules.permissions.permissions if name.split(".")[0] in APPS}


def documented_rows() -> dict[str, list[bool]]:
    """The table under "## Every permission": ``| `perm` | on | ✓ | — | … | notes |``."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Every permission", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\|\s*`([a-z_]+\.[a-z_]+)`\s*\|", line)
        if match:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            ticks = cells[2 : 2 + len(COLUMNS)]
            assert set(ticks) <= {"✓", "—"}, line
            rows[match.group(1)] = [t == "✓" for t in ticks]
    return rows


def test_the_document_names_the_table_columns_in_order():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Every permission", 1)[1]
    header = next(line for line in section.splitlines() if line.startswith("| permission"))
    cells = [c.strip() for c in header.strip().strip("|").split("|")]
    assert cells[2 : 2 + len(COLUMNS)] == [heading for heading, _ in COLUMNS]


def test_every_registered_permission_is_documented_and_nothing_else():
    documented = set(documented_rows())
    registered = registered_permissions()
    assert registered - documented == set(), "registered but not in docs/permissions.md"
    assert documented - registered == set(), "in docs/permissions.md but not registered"
    assert set(OBJECTS) == registered, "add the object each new permission is checked on"


def test_the_document_says_who_holds_each_permission(org):
    documented = documented_rows()
    wrong = []
    for name in sorted(registered_permissions()):
        obj = OBJECTS[name](org)
        actual = [getattr(org.users, persona).has_perm(name, obj) for _, persona in COLUMNS]
        if documented.get(name) != actual:
            ticks = " | ".join("✓" if held else "—" for held in actual)
            wrong.append(f"| `{name}` | … | {ticks} |")
    assert not wrong, "docs/permissions.md disagrees with the rules; the rules say:\n" + "\n".join(
        wrong
    )
