"""A small sharing world on top of ``tests/conftest.py``'s ``world``: library items with
each audience, threads, a coaching triad across alpha's schools, partners."""

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from clusterwork.people import services as people_services
from clusterwork.people.models import Role
from clusterwork.sharing import services

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf(name="lesson.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def staff(w, name, school_index, role=Role.SUBJECT_LEADER, password=None):
    person = people_services.person_create(
        actor=None,
        full_name=name,
        email=f"{name.split()[0].lower()}@school.test" if password else "",
        password=password,
        school=w.schools[school_index],
    )
    people_services.role_assign(
        actor=None,
        person=person,
        role=role,
        school=w.schools[school_index],
        start=dt.date(2024, 9, 1),
    )
    return person


def build(w):
    """Idempotent within one test: the rows are made once (outside the matrix's savepoints)."""
    if getattr(w, "lib", None) is not None:
        return w.lib
    coordinator, head = w.users.coordinator, w.users.head
    writeup = services.item_create(
        actor=coordinator,
        cluster=w.alpha,
        title="Floating and sinking starter",
        kind="writeup",
        subject="science",
        key_stage="ks1",
        body="Fill a tank; ask the class to predict which fruit floats.",
        tags="Fair testing, British Science Week",
    )
    file_item = services.item_create(
        actor=coordinator,
        cluster=w.alpha,
        title="Magnet hunt lesson plan",
        kind="file",
        subject="science",
        key_stage="ks2",
        file=pdf(),
        tags="Forces",
    )
    public = services.item_create(
        actor=coordinator,
        cluster=w.alpha,
        title="Rocket mice template",
        kind="link",
        subject="science",
        key_stage="ks2",
        url="https://example.org/rocket-mice",
        audience="signed_in",
    )
    beta_shared = services.item_create(
        actor=None,
        cluster=w.beta,
        title="Shadow puppets investigation",
        kind="writeup",
        subject="science",
        key_stage="ks2",
        body="Light sources and shadows with puppets.",
        audience="programme",
        tags="Light",
    )
    beta_private = services.item_create(
        actor=None,
        cluster=w.beta,
        title="Owl pellet dissection notes",
        kind="writeup",
        subject="science",
        key_stage="ks2",
        body="Only for our cluster.",
    )
    gamma_item = services.item_create(
        actor=None,
        cluster=w.gamma,
        title="Sports day relay plan",
        kind="writeup",
        subject="pe",
        key_stage="ks2",
        body="Relays for all.",
    )
    thread = services.thread_start(
        actor=coordinator,
        cluster=w.alpha,
        title="Who has a class set of magnets?",
        body="Ours are lost.",
    )
    reply = services.post_reply(
        actor=head, thread=thread, body="We do — see the lesson plan.", items=[file_item]
    )
    programme_thread = services.thread_start(
        actor=w.users.programme_admin,
        programme=w.science,
        title="Networking day agenda",
        body="Ideas for the spring networking day?",
    )
    beta_thread = services.thread_start(
        actor=None, cluster=w.beta, title="Beta's own question", body="Anyone?"
    )
    coachee = staff(w, "Sam Coachee", 1)
    second = staff(w, "Tia Triad", 2)
    coaching = services.coaching_arrange(
        actor=coordinator,
        cluster=w.alpha,
        focus="Questioning in practical science",
        coach=head.person,
        coachees=[coachee, second],
        start=dt.date(2025, 1, 6),
    )
    session = services.coaching_session_log(
        actor=head,
        coaching=coaching,
        on=dt.date(2025, 1, 20),
        note="Secret note: worried about the Year 4 class.",
        follow_up="Observe a lesson",
    )
    partner = services.partner_add(
        actor=coordinator, cluster=w.alpha, name="County University", kind="university"
    )
    services.partner_activity_record(
        actor=coordinator, partner=partner, on=dt.date(2025, 2, 1), title="Science fair judging"
    )
    programme_partner = services.partner_add(
        actor=None, programme=w.science, name="STEM Ambassadors Hub", kind="stem"
    )
    services.partner_activity_record(
        actor=None,
        partner=programme_partner,
        on=dt.date(2025, 3, 1),
        title="Ambassador visit",
        cluster=w.alpha,
    )
    w.lib = SimpleNamespace(
        writeup=writeup,
        file_item=file_item,
        file_version=file_item.versions.get(),
        public=public,
        beta_shared=beta_shared,
        beta_private=beta_private,
        gamma_item=gamma_item,
        thread=thread,
        reply=reply,
        programme_thread=programme_thread,
        beta_thread=beta_thread,
        coaching=coaching,
        session=session,
        coachee=coachee,
        partner=partner,
        programme_partner=programme_partner,
    )
    return w.lib
