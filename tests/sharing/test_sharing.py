"""Issue 15: the library, discussion, peer coaching, partners and what was shared."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clusterwork.core import digest, measures, personal_data, registry
from clusterwork.people.models import Role
from clusterwork.sharing import selectors, services
from clusterwork.sharing.models import ItemUse, LibraryItem, Notification, Post
from tests.conftest import PASSWORD

from .data import PDF, build, pdf, staff


def _user(w, name, school_index, role=Role.HEADTEACHER):
    return staff(w, name, school_index, role=role, password=PASSWORD).user


def _titles(user):
    return set(selectors.items_visible_to(user).values_list("title", flat=True))


# ----- visibility: cluster, programme and signed-in audiences ------------------------------


def test_each_audience_reaches_exactly_whom_it_should(world):
    lib = build(world)
    beta_head = _user(world, "Bea Betahead", 3)
    alpha_only = {lib.writeup.title, lib.file_item.title}
    # Alpha's coordinator: alpha's items, beta's programme-wide one, everyone's.
    seen = _titles(world.users.coordinator)
    assert alpha_only | {lib.public.title, lib.beta_shared.title} <= seen
    assert lib.beta_private.title not in seen and lib.gamma_item.title not in seen
    # A headteacher of another cluster of the programme never sees alpha's cluster-only items.
    seen = _titles(beta_head)
    assert not alpha_only & seen
    assert {lib.public.title, lib.beta_shared.title, lib.beta_private.title} <= seen
    # Another programme's coordinator: only what was shared with everyone signed in.
    seen = _titles(world.users.outsider)
    assert lib.public.title in seen and lib.gamma_item.title in seen
    assert not (alpha_only | {lib.beta_shared.title, lib.beta_private.title}) & seen


def test_pages_and_api_answer_404_for_items_outside_the_audience(world, as_persona):
    lib = build(world)
    beta_head = _user(world, "Bea Betahead", 3)
    from django.test import Client

    client = Client()
    client.force_login(beta_head)
    assert client.get(reverse("sharing:item_detail", args=[lib.writeup.pk])).status_code == 404
    assert client.get(f"/api/v1/sharing/items/{lib.writeup.pk}").status_code == 404
    download = reverse("sharing:version_download", args=[lib.file_item.pk, lib.file_version.pk])
    assert client.get(download).status_code == 404
    assert client.get(reverse("sharing:item_detail", args=[lib.beta_shared.pk])).status_code == 200
    listed = client.get("/api/v1/sharing/items/?page_size=200").json()["items"]
    assert lib.writeup.title not in {i["title"] for i in listed}


def test_where_a_shared_item_came_from_is_named_only_to_those_who_see_its_cluster(
    world, as_persona
):
    lib = build(world)
    beta_school = world.schools[3].name
    services.item_update(
        actor=None,
        item=lib.beta_shared,
        title=lib.beta_shared.title,
        subject="science",
        key_stage="ks2",
        audience="programme",
    )
    page = as_persona("coordinator").get(reverse("sharing:item_detail", args=[lib.beta_shared.pk]))
    text = page.content.decode()
    assert "Shared by another cluster of Science Clusters" in text
    assert "Beta" not in text.replace("Beta's", "") and beta_school not in text
    api = as_persona("coordinator").get(f"/api/v1/sharing/items/{lib.beta_shared.pk}").json()
    assert api["cluster"] is None and api["source"].startswith("Shared by another cluster")
    outsider = as_persona("outsider").get(reverse("sharing:item_detail", args=[lib.public.pk]))
    assert "Shared with everyone on Clusterwork" in outsider.content.decode()
    assert "Alpha" not in outsider.content.decode()
    mine = as_persona("coordinator").get(reverse("sharing:item_detail", args=[lib.writeup.pk]))
    assert "From Alpha · Coordinator" in mine.content.decode()


def test_changing_the_audience_widens_and_narrows_who_sees_it(world):
    lib = build(world)
    beta_head = _user(world, "Bea Betahead", 3)
    assert lib.writeup.title not in _titles(beta_head)
    services.item_update(
        actor=world.users.coordinator,
        item=lib.writeup,
        title=lib.writeup.title,
        subject="science",
        key_stage="ks1",
        audience="programme",
    )
    assert lib.writeup.title in _titles(beta_head)
    assert lib.writeup.title not in _titles(world.users.outsider)
    services.item_update(
        actor=world.users.coordinator,
        item=lib.writeup,
        title=lib.writeup.title,
        subject="science",
        key_stage="ks1",
        audience="cluster",
    )
    assert lib.writeup.title not in _titles(beta_head)


# ----- uploads ---------------------------------------------------------------------------


def _upload(client, world, name, content, **extra):
    return client.post(
        reverse("sharing:item_new", args=[world.alpha.pk]),
        {
            "title": "Upload test",
            "kind": "file",
            "file": pdf(name, content),
            "subject": "science",
            "key_stage": "ks2",
            "audience": "cluster",
            **extra,
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lesson.pdf", b"#!/bin/sh\nrm -rf /\n", "lesson.pdf: the file must be a"),
        ("lesson.pdf", b"<html><script>alert(1)</script>", "its content is not"),
        ("lesson.exe", PDF, "name it .pdf"),
        ("lesson.pdf", PDF + b"0" * 20_000_001, "files may be up to 20 MB"),
    ],
)
def test_bad_uploads_are_refused_with_the_reason_and_nothing_is_kept(
    world, as_persona, settings, name, content, message
):
    response = _upload(as_persona("coordinator"), world, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LibraryItem.objects.filter(title="Upload test").exists()
    root = settings.PRIVATE_MEDIA_ROOT
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_a_good_upload_is_kept_privately_and_served_only_after_the_check(
    world, as_persona, settings
):
    response = _upload(as_persona("head"), world, "Magnets Year 3.pdf", PDF)
    assert response.status_code == 302
    item = LibraryItem.objects.get(title="Upload test")
    version = item.versions.get()
    stored = settings.PRIVATE_MEDIA_ROOT / version.file.name
    assert stored.read_bytes() == PDF
    # The name on disk is not the uploaded one; the download keeps the original.
    assert "Magnets" not in version.file.name and version.original_name == "Magnets Year 3.pdf"
    assert item.school == world.schools[0]
    url = reverse("sharing:version_download", args=[item.pk, version.pk])
    got = as_persona("viewer").get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert got["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in got["Content-Disposition"]
    assert as_persona("outsider").get(url).status_code == 404


def test_the_model_refuses_a_bad_file_even_without_the_form(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.item_create(
            actor=None,
            cluster=world.alpha,
            title="Sneaky",
            kind="file",
            subject="science",
            key_stage="ks2",
            file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
        )


# ----- search, tags, versions, reuse -----------------------------------------------------


def test_search_finds_words_in_titles_tags_and_write_ups_and_filters_by_tag(world):
    lib = build(world)
    coordinator = world.users.coordinator

    def titles(**filters):
        return {i.title for i in selectors.item_list(coordinator, **filters)}

    assert titles(q="fruit floats") == {lib.writeup.title}
    assert titles(q="magnet") == {lib.file_item.title}
    assert titles(tag="british science week") == {lib.writeup.title}
    assert titles(tag="Light") == {lib.beta_shared.title}
    assert titles(key_stage="ks1") == {lib.writeup.title}
    assert lib.beta_private.title not in titles(q="owl")
    page = Client_for(coordinator).get(reverse("sharing:item_list"), {"tag": "Forces"})
    assert lib.file_item.title in page.content.decode()
    assert lib.writeup.title not in page.content.decode()


def Client_for(user):  # noqa: N802 - reads as a phrase
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_new_versions_keep_the_old_ones_and_need_a_note(world):
    lib = build(world)
    with pytest.raises(ValidationError, match="what changed"):
        services.version_add(actor=world.users.coordinator, item=lib.file_item, file=pdf())
    services.version_add(
        actor=world.users.coordinator, item=lib.file_item, file=pdf("v2.pdf"), note="Answers"
    )
    numbers = list(lib.file_item.versions.values_list("number", flat=True))
    assert numbers == [2, 1]
    page = Client_for(world.users.viewer).get(lib.file_item.get_absolute_url())
    text = page.content.decode()
    assert "Current version (2)" in text and "Version history" in text and "Answers" in text


def test_used_in_my_school_is_once_per_school_and_only_for_ones_own_school(world):
    lib = build(world)
    head = world.users.head
    services.item_mark_used(actor=head, item=lib.writeup, school=world.schools[0], note="Great")
    services.item_mark_used(actor=head, item=lib.writeup, school=world.schools[0], note="Again")
    assert ItemUse.objects.filter(item=lib.writeup).count() == 1
    assert ItemUse.objects.get(item=lib.writeup).note == "Again"
    with pytest.raises(ValidationError, match="do not work at"):
        services.item_mark_used(actor=head, item=lib.writeup, school=world.schools[1])


# ----- discussion ------------------------------------------------------------------------


def test_a_reply_notifies_followers_and_mentions_and_emails_those_who_opted_in(
    world, django_capture_on_commit_callbacks
):
    lib = build(world)
    leader = staff(world, "Lena Leader", 1, role=Role.SUBJECT_LEADER, password=PASSWORD)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(
            actor=leader.user, thread=lib.thread, body="@Coordinator we have twenty magnets."
        )
    # The coordinator started it (follows) and is mentioned: one notification, a mention.
    note = Notification.objects.get(user=world.users.coordinator, post__body__contains="twenty")
    assert note.kind == "mention"
    # The head replied earlier, so follows it too.
    assert Notification.objects.filter(user=world.users.head, kind="reply").exists()
    assert {m.to[0] for m in mail.outbox} == {"coordinator@example.org", "head@example.org"}
    assert "#post-" in mail.outbox[0].body
    # Opting out of reply emails: still told in the product, not by email.
    services.notification_settings_set(
        actor=world.users.head, email_replies=False, email_mentions=True, email_new_threads=False
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(actor=leader.user, thread=lib.thread, body="And a compass.")
    assert [m.to[0] for m in mail.outbox] == ["coordinator@example.org"]
    assert Notification.objects.filter(user=world.users.head, post__body="And a compass.").exists()


def test_a_muted_thread_sends_nothing_but_mentions(world):
    lib = build(world)
    services.thread_mute(actor=world.users.head, thread=lib.thread, muted=True)
    services.post_reply(actor=world.users.coordinator, thread=lib.thread, body="Update: found.")
    assert not Notification.objects.filter(
        user=world.users.head, post__body="Update: found."
    ).exists()


def test_notifications_page_lists_them_and_reading_the_thread_marks_them_read(world, as_persona):
    lib = build(world)
    services.post_reply(actor=world.users.coordinator, thread=lib.thread, body="Any more?")
    client = as_persona("head")
    page = client.get(reverse("sharing:notification_list")).content.decode()
    assert "New:" in page and lib.thread.title in page
    client.get(lib.thread.get_absolute_url())
    assert not Notification.objects.filter(user=world.users.head, read_at__isnull=True).exists()


def test_a_withdrawn_post_keeps_its_place_and_its_history(world, as_persona):
    lib = build(world)
    response = as_persona("coordinator").post(
        reverse("sharing:post_withdraw", args=[lib.reply.pk]), {"reason": "Off topic"}
    )
    assert response.status_code == 302
    post = Post.objects.get(pk=lib.reply.pk)
    assert post.is_withdrawn and post.body == "We do — see the lesson plan."
    assert post.history.first().history_change_reason == "Withdrawn: Off topic"
    page = as_persona("viewer").get(lib.thread.get_absolute_url()).content.decode()
    assert "Withdrawn" in page and "by the moderator" in page and "see the lesson plan" not in page
    api = as_persona("viewer").get(f"/api/v1/sharing/threads/{lib.thread.pk}/posts").json()
    assert api[1]["withdrawn"] is True and api[1]["body"] == ""


def test_a_closed_thread_takes_no_replies_and_pinned_threads_lead(world, as_persona):
    lib = build(world)
    other = services.thread_start(
        actor=world.users.head, cluster=world.alpha, title="Later thread", body="Hello"
    )
    services.thread_pin(actor=world.users.coordinator, thread=lib.thread, pinned=True)
    titles = [t.title for t in selectors.thread_list(world.users.viewer, cluster=world.alpha)]
    assert titles[0] == lib.thread.title and other.title in titles
    services.thread_archive(actor=world.users.coordinator, thread=lib.thread)
    response = as_persona("head").post(lib.thread.get_absolute_url(), {"body": "Late reply"})
    assert response.status_code in (200, 403)
    api = as_persona("head").post(
        f"/api/v1/sharing/threads/{lib.thread.pk}/posts",
        {"body": "Late"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "closed" in api.json()["detail"]


def test_only_coordinators_pin_when_starting_a_thread(world):
    with pytest.raises(ValidationError, match="Only the coordinator pins"):
        services.thread_start(
            actor=world.users.head, cluster=world.alpha, title="Hi", body="x", pin=True
        )


def test_an_htmx_reply_answers_the_conversation_fragment(world, as_persona):
    lib = build(world)
    response = as_persona("head").post(
        lib.thread.get_absolute_url(), {"body": "Swapped in place"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Swapped in place" in text and "<html" not in text and 'class="posts"' in text


def test_attachments_must_be_items_the_poster_may_see(world):
    lib = build(world)
    beta_head = _user(world, "Bea Betahead", 3)
    beta_thread = lib.beta_thread
    with pytest.raises(ValidationError, match="cannot attach"):
        services.post_reply(
            actor=beta_head, thread=beta_thread, body="See this", items=[lib.writeup]
        )


def test_programme_threads_are_for_coordinators_not_school_staff(world, as_persona):
    lib = build(world)
    url = lib.programme_thread.get_absolute_url()
    assert as_persona("coordinator").get(url).status_code == 200
    assert as_persona("head").get(url).status_code == 404
    tab = as_persona("head").get(reverse("programme_detail", args=[world.science.pk]))
    assert "Coordinators&#x27; discussion" not in tab.content.decode()
    listed = as_persona("head").get("/api/v1/sharing/threads/").json()["items"]
    assert lib.programme_thread.title not in {t["title"] for t in listed}


# ----- peer coaching ---------------------------------------------------------------------

SECRET = "Secret note: worried about the Year 4 class."


def test_coaching_notes_are_read_only_by_the_coach_and_coachees(world, as_persona):
    lib = build(world)
    url = lib.coaching.get_absolute_url()
    assert SECRET in as_persona("head").get(url).content.decode()  # the coach
    for persona in ("coordinator", "programme_admin", "superuser"):
        text = as_persona(persona).get(url).content.decode()
        assert SECRET not in text and "20 Jan 2025" in text, persona
    assert as_persona("viewer").get(url).status_code == 404
    coachee = Client_for(_login_for(lib.coachee))
    assert SECRET in coachee.get(url).content.decode()
    for persona in ("coordinator", "superuser"):
        api = as_persona(persona).get("/api/v1/sharing/coaching/").json()["items"]
        assert api[0]["sessions"][0] == {"on": "2025-01-20", "note": None, "follow_up": None}
    assert (
        as_persona("head")
        .get("/api/v1/sharing/coaching/")
        .json()["items"][0]["sessions"][0]["note"]
        == SECRET
    )


def _login_for(person):
    if person.user_id is None:
        from clusterwork.people.models import User

        person.user = User.objects.create_user(email=f"p{person.pk}@school.test", password="x")
        person.save(update_fields=["user"])
    return person.user


def test_the_coachees_head_sees_that_coaching_happens_not_what_was_said(world):
    lib = build(world)
    coachee_head = _user(world, "Hal Headmaster", 1)
    client = Client_for(coachee_head)
    page = client.get(lib.coaching.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "20 Jan 2025" in text and SECRET not in text and "Observe a lesson" not in text
    other_head = _user(world, "Ola Otherhead", 3)
    assert Client_for(other_head).get(lib.coaching.get_absolute_url()).status_code == 404


def test_coaching_is_across_schools_and_only_participants_log_sessions(world):
    lib = build(world)
    same = staff(world, "Sid Sameschool", 1)
    with pytest.raises(ValidationError, match="across schools"):
        services.coaching_arrange(
            actor=None,
            cluster=world.alpha,
            focus="x",
            coach=lib.coachee,
            coachees=[same],
            start=dt.date(2025, 1, 1),
        )
    outsider_staff = staff(world, "Gus Gammateacher", 6)
    with pytest.raises(ValidationError, match="does not work at a member school"):
        services.coaching_arrange(
            actor=None,
            cluster=world.alpha,
            focus="x",
            coach=lib.coachee,
            coachees=[outsider_staff],
            start=dt.date(2025, 1, 1),
        )
    with pytest.raises(ValidationError, match="Only the coach and coachees"):
        services.coaching_session_log(
            actor=world.users.coordinator, coaching=lib.coaching, on=dt.date(2025, 2, 1)
        )


# ----- partners --------------------------------------------------------------------------


def test_partners_record_what_was_done_linked_to_projects(world, as_persona):
    from clusterwork.goals import services as goal_services

    lib = build(world)
    project = goal_services.project_create(
        actor=None, cluster=world.alpha, title="Science fair", kind="cluster"
    )
    services.partner_activity_record(
        actor=world.users.coordinator,
        partner=lib.partner,
        on=dt.date(2025, 6, 1),
        title="Judged the fair",
        project=project,
    )
    page = as_persona("viewer").get(lib.partner.get_absolute_url()).content.decode()
    assert "Judged the fair" in page and "Science fair" in page
    beta_project = goal_services.project_create(
        actor=None, cluster=world.beta, title="Beta fair", kind="cluster"
    )
    with pytest.raises(ValidationError, match="not the cluster"):
        services.partner_activity_record(
            actor=None, partner=lib.partner, on=dt.date(2025, 6, 1), title="x", project=beta_project
        )
    with pytest.raises(ValidationError, match="already in this register"):
        services.partner_add(
            actor=None, cluster=world.alpha, name="county university", kind="university"
        )
    listed = as_persona("coordinator").get("/api/v1/sharing/partners/").json()["items"]
    assert {"County University", "STEM Ambassadors Hub"} <= {p["name"] for p in listed}
    programme_page = as_persona("coordinator").get(
        reverse("sharing:cluster_partners", args=[world.alpha.pk])
    )
    assert "STEM Ambassadors Hub" in programme_page.content.decode()


# ----- what was shared, counted ----------------------------------------------------------


def test_counts_per_school_and_term(world):
    lib = build(world)
    leader = staff(world, "Lena Leader", 1, role=Role.SUBJECT_LEADER, password=PASSWORD)
    services.item_mark_used(actor=leader.user, item=lib.writeup, school=world.schools[1])
    services.item_create(
        actor=leader.user,
        cluster=world.alpha,
        title="Leader's idea",
        kind="writeup",
        subject="science",
        key_stage="ks2",
        body="An idea.",
    )
    today = timezone.localdate()
    term = selectors.term_of(today)
    counts = selectors.shared_counts(world.alpha, term.start, term.end, world.schools[0:3])
    rows = {r.school.pk: r for r in counts["rows"]}
    school1 = rows[world.schools[1].pk]
    assert school1.items == 1 and school1.used_here == 1
    # The head's reply counts for the head's school; the coordinator holds no school role.
    assert rows[world.schools[0].pk].replies == 1
    assert selectors.term_of(dt.date(2025, 1, 20)).name == "Spring 2025"
    assert selectors.term_of(dt.date(2024, 10, 1)).name == "Autumn 2024"
    spring = selectors.shared_counts(
        world.alpha, dt.date(2025, 1, 1), dt.date(2025, 4, 1), world.schools[0:3]
    )
    coaching = {r.school.pk: r.coaching_sessions for r in spring["rows"]}
    assert coaching == {world.schools[0].pk: 1, world.schools[1].pk: 1, world.schools[2].pk: 1}
    assert spring["partner_activities"] == 2


def test_measures_digest_and_impact_sections_are_registered(world, rf):
    lib = build(world)
    leader = staff(world, "Lena Leader", 1, role=Role.SUBJECT_LEADER, password=PASSWORD)
    services.item_mark_used(actor=leader.user, item=lib.writeup, school=world.schools[1])
    services.item_create(
        actor=world.users.head,
        cluster=world.alpha,
        title="Head's idea",
        kind="writeup",
        subject="science",
        key_stage="ks2",
        body="An idea.",
    )
    today = timezone.localdate()
    assert measures.value("sharing.items_shared", world.schools[0], today) == 1
    assert measures.value("sharing.items_used", world.schools[1], today) == 1
    assert measures.value("sharing.threads", world.alpha, today) == 1
    assert measures.value("sharing.replies", world.alpha, today) == 1
    assert measures.value("sharing.coaching_sessions", world.alpha, today) == 1
    since = timezone.now() - dt.timedelta(days=1)
    until = timezone.now() + dt.timedelta(minutes=1)
    titles = [
        i.title for i in digest.collectors()["sharing"](world.users.coordinator, since, until)
    ]
    assert any("replied in" in t for t in titles) and "New in the library: Head's idea" in titles
    outsider_titles = [
        i.title for i in digest.collectors()["sharing"](world.users.outsider, since, until)
    ]
    assert not any("Head's idea" in t or "replied" in t for t in outsider_titles)
    request = rf.get("/")
    request.user = world.users.coordinator
    sections = registry.sections_for("impact_cluster", request, world.alpha)
    assert any(t == "sharing/_impact.html" for t, _ in sections)
    school = registry.sections_for("impact_school", request, world.schools[0])
    context = next(c for t, c in school if t == "sharing/_impact.html")
    assert context["school_rows"][0][0] == world.alpha
    request.user = world.users.outsider
    assert not [
        t
        for t, _ in registry.sections_for("impact_cluster", request, world.alpha)
        if t == "sharing/_impact.html"
    ]


def test_personal_data_export_and_erasure_pseudonymise(world):
    lib = build(world)
    head = world.users.head.person
    exported = personal_data.export_for(head)
    assert any(
        r.get("body") == "We do — see the lesson plan."
        for r in exported["sharing: Discussion posts"]
    )
    assert any(r.get("note") == SECRET for r in exported["sharing: Peer coaching and its notes"])
    personal_data.erase_for(head, actor=None)
    post = Post.objects.get(pk=lib.reply.pk)
    assert post.author is None and "We do" not in post.body
    assert not Post.history.filter(body__contains="We do").exists()
    session = lib.coaching.sessions.get()
    assert session.logged_by is None and SECRET not in session.note
    assert not lib.coaching.members.filter(person=head).exists()
    assert lib.coaching.members.count() == 3  # still counted
    covered = personal_data.covered_models()
    assert {"sharing.Post", "sharing.CoachingSession", "sharing.LibraryItem"} <= covered
