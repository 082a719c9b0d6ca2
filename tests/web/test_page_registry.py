"""The cluster and programme pages get their tabs, and every page its menus, from what the
apps register (core.registry): an app adds its tab without editing clusters."""

import re

from django.urls import reverse

from clusterwork.core import registry


def _tabs(html: str, label: str) -> list[str]:
    nav = re.search(rf'<nav class="section-nav" aria-label="{label}">(.*?)</nav>', html, re.S)
    return re.findall(r">([^<]+)</a>", nav.group(1)) if nav else []


def test_the_cluster_page_shows_each_apps_tab_as_its_reader_may_see_it(world, login):
    url = reverse("cluster_detail", args=[world.alpha.pk])
    coordinator = _tabs(
        login(world.users.coordinator).get(url).content.decode(), "Running this cluster"
    )
    assert coordinator == [
        "Overview",
        "Meetings",
        "Engagement",
        "Vision, goals and projects",
        "Successes",
        "Self-assessment",
        "Library",
        "Discussion",
        "Coaching",
        "Partners",
        "What was shared",
        "Funding",
        "Support package",
        "Shared resources",
        "Programme stage",
        "Changes and staff",
        "Shared services",
        "Board",
        "Teacher deployment",
        "Impact",
    ]
    # A headteacher sees the cluster but not how the other schools take part.
    head = _tabs(login(world.users.head).get(url).content.decode(), "Running this cluster")
    assert "Engagement" not in head and "Meetings" in head


def test_the_programme_page_offers_formation_only_to_those_who_may_form_clusters(world, login):
    url = reverse("programme_detail", args=[world.science.pk])
    admin = _tabs(
        login(world.users.programme_admin).get(url).content.decode(), "Running this programme"
    )
    head = _tabs(login(world.users.head).get(url).content.decode(), "Running this programme")
    assert {"Formation runs", "What if…", "Engagement across clusters"} <= set(admin)
    assert not {"Formation runs", "What if…", "Engagement across clusters"} & set(head)
    assert {"Clusters", "Board (stages)", "Networking events", "Self-assessment"} <= set(head)


def test_the_current_tab_is_marked_on_the_apps_own_pages(world, login):
    html = login(world.users.coordinator).get(reverse("cluster_plan", args=[world.alpha.pk]))
    assert re.search(r'aria-current="page">Vision, goals and projects<', html.content.decode())


def test_a_new_app_adds_its_tab_without_editing_clusters(world, login):
    tab = registry.Tab("Newsletter archive", "cluster_successes", order=99)
    registry.add_tab("cluster", tab)
    try:
        html = login(world.users.head).get(reverse("cluster_detail", args=[world.alpha.pk]))
        assert _tabs(html.content.decode(), "Running this cluster")[-1] == "Newsletter archive"
    finally:
        registry._registry.tabs["cluster"].remove(tab)


def test_menus_come_from_the_apps(world, login):
    html = login(world.users.head).get(reverse("home")).content.decode()
    main = re.search(r'<ul class="nav">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</a>", main) == [
        "Home",
        "Programmes",
        "Clusters",
        "Schools",
        "Library",
        "People",
        "Claims",
        "Governance",
        "Impact",
    ]
    for link in ("My meetings", "My self-assessments", "Weekly digest", "API tokens"):
        assert f">{link}</a>" in html


def test_every_page_has_one_heading_and_no_template_syntax_shown(world, client):
    # Pages built on a shared page template fill its heading; none may repeat it.
    from django.db import transaction

    from .matrix import ALL_ROUTES

    client.force_login(world.users.superuser)
    for route in ALL_ROUTES:
        if route.method != "get" or route.setup or "anonymous" in route.expect:
            continue
        with transaction.atomic():
            response = client.get(
                reverse(route.name, kwargs=route.kwargs(world)), route.data(world)
            )
            transaction.set_rollback(True)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert html.count("<h1") == 1, route.id
            # no template syntax shown as text (a comment over several lines, a typo)
            assert "{#" not in html and "{%" not in html and "{{" not in html, route.id


def test_apps_add_their_panels_to_the_home_page(world, login):
    import datetime as dt

    from django.utils import timezone

    from clusterwork.meetings import services as meetings

    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    event = meetings.event_create(
        actor=None,
        cluster=world.alpha,
        title="Spring moderation",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        location="The hall",
    )
    meetings.invite_person(actor=None, event=event, person=world.users.head.person)
    home = login(world.users.head).get(reverse("home")).content.decode()
    assert "Your next meetings" in home and "Spring moderation" in home
    # Nothing to show, no panel.
    assert (
        "Your next meetings" not in login(world.users.viewer).get(reverse("home")).content.decode()
    )
