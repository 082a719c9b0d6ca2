"""Invented people for the demo, and the demo logins.

Every name here is made up (a fixed list, paired in a fixed order). The seed documents name
real people with contact details; none of them may appear in the product, so those names are
kept out of these lists and tests/demo checks it.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from clusterwork.core.demo import demo_step
from clusterwork.people import services as people_services
from clusterwork.people.models import Person, User

from .loader import DEMO_DOMAIN, DEMO_PASSWORD

FIRST_NAMES = (
    "Amara",
    "Ben",
    "Chloe",
    "Daniel",
    "Eleanor",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kieran",
    "Laura",
    "Marcus",
    "Nadia",
    "Oliver",
    "Priya",
    "Quentin",
    "Rosa",
    "Samuel",
    "Tara",
    "Usman",
    "Vicky",
    "William",
    "Yasmin",
    "Zoe",
    "Adam",
    "Bethan",
    "Callum",
    "Deborah",
    "Ewan",
    "Fiona",
    "Gareth",
    "Helen",
    "Isaac",
    "Jodie",
    "Kwame",
    "Leah",
    "Mohammed",
    "Niamh",
    "Owen",
    "Rachel",
    "Simon",
    "Tom",
    "Uma",
    "Alice",
    "Rhys",
    "Sophie",
    "Tariq",
)
SURNAMES = (
    "Ashworth",
    "Bellamy",
    "Carver",
    "Dunmore",
    "Ellery",
    "Fairbairn",
    "Garside",
    "Holloway",
    "Iqbal",
    "Jowett",
    "Kershaw",
    "Lindqvist",
    "Marsden",
    "Nwosu",
    "Okafor",
    "Pennington",
    "Quayle",
    "Rowntree",
    "Sandhu",
    "Thornley",
    "Underwood",
    "Varley",
    "Whitlock",
    "Yardley",
    "Ahmed",
    "Brierley",
    "Chadwick",
    "Dobson",
    "Egerton",
    "Fenwick",
    "Greaves",
    "Hartley",
    "Ingram",
    "Kaur",
    "Lomax",
    "Moorcroft",
    "Nairn",
    "Oldroyd",
    "Pickering",
    "Radcliffe",
    "Stanhope",
    "Tennant",
    "Walmsley",
    "Ashby",
    "Bramley",
    "Clegg",
    "Devlin",
    "Osei",
)
NAME_SEED = 2026  # fixed: the same names in the same places on every run


def name_pairs() -> list[tuple[str, str]]:
    pairs = list(itertools.product(FIRST_NAMES, SURNAMES))
    random.Random(NAME_SEED).shuffle(pairs)
    return pairs


@dataclass(frozen=True)
class DemoLogin:
    key: str
    role: str
    email: str
    sees: str


def _email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "staff_admin",
        "Staff admin (superuser)",
        _email("admin"),
        "Everything, including the Django admin at /admin/",
    ),
    DemoLogin(
        "bourne_admin",
        "Trust admin, Bourne Education Trust",
        _email("bourne.admin"),
        "Bourne's clusters Epsom, CAS and Woking with their 16 schools and people; can change them",
    ),
    DemoLogin(
        "epsom_coordinator",
        "Cluster coordinator, Bourne · Epsom",
        _email("epsom.coordinator"),
        "The Epsom cluster only (6 schools); can change it. Not CAS or Woking",
    ),
    DemoLogin(
        "epsom_head",
        "Headteacher, Auriol Junior School (Epsom)",
        _email("epsom.head"),
        "The Epsom cluster, read-only (through their school)",
    ),
    DemoLogin(
        "science_admin",
        "Programme admin, Primary Science Cluster Programme",
        _email("science.admin"),
        "All six science clusters, their schools, coordinators and subject leaders",
    ),
    DemoLogin(
        "science_coordinator",
        "Cluster coordinator, science · Bristol",
        _email("science.coordinator"),
        "The Bristol science cluster, including the school that moved out in 2024; can change it",
    ),
    DemoLogin(
        "science_leader",
        "Science subject leader, a Bristol cluster school",
        _email("science.leader"),
        "The Bristol science cluster, read-only",
    ),
    DemoLogin(
        "downland_admin",
        "Trust admin, Downland Academies Trust (cluster boards)",
        _email("downland.admin"),
        "Downland's three cluster-board clusters (Horsham, Crawley, Chichester)",
    ),
    DemoLogin(
        "sport_coordinator",
        "Cluster coordinator, School Sport Network · Preston SSP",
        _email("sport.coordinator"),
        "The Preston school sport partnership only",
    ),
    DemoLogin(
        "sport_dm",
        "Development manager, School Sport Network",
        _email("sport.dm"),
        "The sport network's clusters; logs deliveries of their support packages (My caseload)",
    ),
    DemoLogin(
        "outsider",
        "Outsider: online cluster coordinator, School Sport Network",
        _email("outsider"),
        "Only the sport network's online cluster; none of the science programme (404)",
    ),
)
LOGIN_EMAILS = {login.key: login.email for login in DEMO_LOGINS}


def logins_table() -> str:
    """The logins as a Markdown table (the README copies it)."""
    lines = ["| role | email | what they see |", "|---|---|---|"]
    lines += [f"| {login.role} | `{login.email}` | {login.sees} |" for login in DEMO_LOGINS]
    return "\n".join(lines)


def print_logins(write=print) -> None:
    write(f"Demo logins (password: {DEMO_PASSWORD})")
    write(logins_table())


def ensure_staff_admin() -> User:
    """The demo's superuser, who is also recorded as the author of every demo change."""
    email = LOGIN_EMAILS["staff_admin"]
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_superuser(
            email=email, password=DEMO_PASSWORD, full_name="Demo staff admin"
        )
    return user


class PeopleMaker:
    """Makes invented people (through people.services), one fresh name each."""

    def __init__(self, *, actor):
        self.actor = actor
        self._names = iter(name_pairs())
        self._heads: dict[int, Person] = {}
        self.made = 0

    def person(self, *, job_title: str, school=None, login: str | None = None) -> Person:
        first, last = next(self._names)
        email = LOGIN_EMAILS[login] if login else _email(f"{first}.{last}".lower())
        self.made += 1
        return people_services.person_create(
            actor=self.actor,
            full_name=f"{first} {last}",
            email=email,
            school=school,
            job_title=job_title,
            password=DEMO_PASSWORD if login else None,
        )

    def role(self, person: Person, role: str, *, start, note: str = "", **scope):
        return people_services.role_assign(
            actor=self.actor, person=person, role=role, start=start, note=note, **scope
        )

    def headteacher(self, school, *, start, login: str | None = None) -> Person:
        """The school's headteacher; one per school even when it is in several programmes."""
        if school.pk in self._heads:
            if login:
                raise ValueError(f"{school} already has a demo headteacher; no login for it.")
            return self._heads[school.pk]
        head = self.person(job_title="Headteacher", school=school, login=login)
        self.role(head, "headteacher", school=school, start=start)
        self._heads[school.pk] = head
        return head

    def with_role(
        self,
        role: str,
        *,
        job_title: str,
        start,
        works_at=None,
        login=None,
        note: str = "",
        **scope,
    ) -> Person:
        """A new person working at ``works_at`` who holds ``role`` for ``scope``."""
        person = self.person(job_title=job_title, school=works_at, login=login)
        self.role(person, role, start=start, note=note, **scope)
        return person


@demo_step(order=45, name="personas.check_logins")
def check_logins(ctx) -> str:
    """Every login in the table must exist; a missing one is a bug in a demo step."""
    emails = [login.email for login in DEMO_LOGINS]
    found = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [email for email in emails if email not in found]
    if missing:
        raise RuntimeError(f"Demo logins not created: {', '.join(missing)}")
    return f"People: {ctx.people.made} invented people; {len(emails)} demo logins ready."
