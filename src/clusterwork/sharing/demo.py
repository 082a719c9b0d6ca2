"""Demo: the science clusters' library (items reused across schools, one shared programme-
wide), a thread with replies and an attachment, the coordinators' thread, a Bourne coaching
triad across two academies, and partners (a university, a STEM ambassador network) linked to
projects."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from clusterwork.core.demo import demo_step
from clusterwork.goals.models import Project
from clusterwork.people.models import Role, RoleAssignment

from . import services


def lesson_pdf(title: str) -> bytes:
    """A small, valid one-page PDF naming the lesson (so downloads open)."""
    text = title.replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _holders(cluster, role):
    schools = list(cluster.memberships.current().values_list("school_id", flat=True))
    return [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(role=role, school_id__in=schools)
        .select_related("person__school")
        .order_by("school__name", "person__full_name")
    ]


def _coordinator(cluster):
    found = (
        RoleAssignment.objects.current()
        .filter(cluster=cluster, role=Role.CLUSTER_COORDINATOR)
        .select_related("person__school")
        .first()
    )
    return found.person if found else None


ITEMS = [
    # title, kind, subject, key stage, tags, audience, content
    (
        "Ten key words: forces and magnets (vocabulary cards)",
        "file",
        "ks2",
        "10 Key Words, Forces",
        "cluster",
    ),
    (
        "Chain Reaction: marble-run challenge lesson",
        "writeup",
        "ks2",
        "Chain Reaction, British Science Week",
        "programme",
    ),
    (
        "Fair testing planning frame",
        "file",
        "ks1",
        "Working scientifically, Fair testing",
        "cluster",
    ),
    (
        "Science subject leader audit template",
        "link",
        "all",
        "Leadership, PSQM",
        "cluster",
    ),
]
WRITEUP = (
    "Groups build a marble run from card and tape, then change one thing (the slope, the "
    "surface) and measure the time. We ran it in British Science Week; every class shared "
    "its fastest run at the celebration assembly."
)


@demo_step(order=65, name="sharing")
def build(ctx) -> str:
    today = timezone.localdate()
    now = timezone.now()
    actor = ctx.actor
    counts = {"items": 0, "uses": 0, "posts": 0}
    science = ctx.objects["science.programme"]
    active = [c for c in ctx.objects["science.clusters"].values() if c.status != "forming"]
    shared_item = None
    for cluster in active[:3]:
        leaders = _holders(cluster, Role.SUBJECT_LEADER)
        if len(leaders) < 3:
            continue
        made = []
        for index, (title, kind, stage, tags, audience_) in enumerate(ITEMS):
            author = leaders[index % len(leaders)]
            content = {}
            if kind == "file":
                name = f"{title.split(':')[0].lower().replace(' ', '-')}.pdf"
                content["file"] = ContentFile(lesson_pdf(title), name=name)
            elif kind == "link":
                content["url"] = "https://www.example.org/science-leader-audit"
            else:
                content["body"] = WRITEUP
            project = None
            if "10 Key Words" in tags:
                project = Project.objects.filter(cluster=cluster, title="10 Key Words").first()
            item = services.item_create(
                actor=actor,
                cluster=cluster,
                title=title,
                kind=kind,
                subject="science",
                key_stage=stage,
                tags=tags,
                audience=audience_ if shared_item is None else "cluster",
                summary="Shared by the cluster's subject leaders after the autumn meeting.",
                author=author,
                project=project,
                **content,
            )
            if audience_ == "programme" and shared_item is None:
                shared_item = item
            made.append(item)
            counts["items"] += 1
        # Reused across schools: the vocabulary cards in two other schools, the frame in one.
        for item, users in ((made[0], leaders[1:3]), (made[2], leaders[:1])):
            for leader in users:
                if leader.school_id and leader.school_id != item.school_id:
                    services.item_mark_used(
                        actor=actor,
                        item=item,
                        school=leader.school,
                        note="Used with Year 4; pupils loved the cards.",
                        marked_by=leader,
                        on=today - dt.timedelta(days=10),
                    )
                    counts["uses"] += 1
        services.version_add(
            actor=actor,
            item=made[2],
            file=ContentFile(lesson_pdf("Fair testing planning frame v2"), name="frame-v2.pdf"),
            note="Added a column for predictions",
        )
        coordinator = _coordinator(cluster)
        thread = services.thread_start(
            actor=actor,
            cluster=cluster,
            title="Borrowing data loggers for British Science Week",
            body="Has anyone got data loggers we could borrow in March? Ours are broken.",
            author=leaders[1],
        )
        services.post_reply(
            actor=actor,
            thread=thread,
            body="We have six. Here is the fair testing frame we use with them.",
            items=[made[2]],
            author=leaders[0],
        )
        services.post_reply(
            actor=actor,
            thread=thread,
            body="Thank you! I'll collect them at the next cluster meeting.",
            author=leaders[1],
        )
        counts["posts"] += 3
        if coordinator is not None:
            services.thread_start(
                actor=actor,
                cluster=cluster,
                title="Next meeting: bring one practical idea",
                body="Please bring one practical lesson idea to share; add it to the library.",
                author=coordinator,
                pin=False,
            )
            services.thread_pin(actor=actor, thread=cluster.sharing_threads.latest("id"))
            counts["posts"] += 1
    services.thread_start(
        actor=actor,
        programme=science,
        title="Networking day: what shall we share?",
        body="Coordinators: which of your cluster's projects would you present at the spring "
        "networking day?",
    )
    # Partners: a university and a STEM ambassador network, linked to projects.
    first = active[0]
    fair = Project.objects.filter(cluster=first, kind="outreach").first()
    university = services.partner_add(
        actor=actor,
        cluster=first,
        name="City University science outreach team",
        kind="university",
        website="https://www.example.ac.uk/outreach",
        contact="outreach@example.ac.uk",
    )
    services.partner_activity_record(
        actor=actor,
        partner=university,
        on=today - dt.timedelta(days=40),
        title="Student ambassadors judged the science fair",
        project=fair,
    )
    stem = services.partner_add(
        actor=actor,
        programme=science,
        name="Regional STEM Ambassador hub",
        kind="stem",
        website="https://www.example.org/stem-ambassadors",
    )
    for cluster in active[:2]:
        chain = Project.objects.filter(cluster=cluster, kind="resource").first()
        services.partner_activity_record(
            actor=actor,
            partner=stem,
            on=today - dt.timedelta(days=20),
            title="An engineer ran the Chain Reaction workshop",
            cluster=cluster,
            project=chain,
        )
    # Bourne: a coaching triad across two academies of one cluster.
    bourne = ctx.objects["bourne.clusters"]["Epsom"]
    coordinator = _coordinator(bourne)
    heads = [h for h in _holders(bourne, Role.HEADTEACHER) if h.school_id]
    coach_school = coordinator.school_id if coordinator else None
    other = next(h for h in heads if h.school_id != coach_school)
    same = next((h for h in heads if h.school_id == coach_school), None)
    coachees = [other] + ([same] if same else [])
    coaching = services.coaching_arrange(
        actor=actor,
        cluster=bourne,
        focus="Leading curriculum review in a new phase",
        coach=coordinator,
        coachees=coachees,
        start=today - dt.timedelta(days=60),
    )
    for days, note in ((45, "Agreed the review questions."), (15, "Reviewed the first drafts.")):
        services.coaching_session_log(
            actor=actor,
            coaching=coaching,
            on=today - dt.timedelta(days=days),
            note=note,
            follow_up="Share the next draft before the session",
            logged_by=coordinator,
        )
    del now
    return (
        f"Sharing: {counts['items']} library items ({counts['uses']} uses in other schools, "
        f"one shared programme-wide), {counts['posts']} posts, a coaching triad in Epsom, "
        "2 partners."
    )
