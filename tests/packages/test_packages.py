"""Support packages: seed 000's packages agreed, delivered, renegotiated; what each persona
sees; over-delivery refused or flagged; the API's answers."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterwork.core import digest, measures, personal_data
from clusterwork.core.errors import ServiceError
from clusterwork.packages import selectors, services
from clusterwork.packages.models import Delivery, ItemKind, PackageVersion

from .helpers import catalogue, development_manager, example_two

TODAY = timezone.localdate()


@pytest.fixture
def setup(world):
    manager = development_manager(world.science)
    package, items = example_two(world.alpha, manager=manager)
    return world, manager, package, items


def _log(package, item, manager, amount, **extra):
    return services.delivery_log(
        actor=None,
        package=package,
        item=item,
        on=extra.pop("on", TODAY),
        amount=amount,
        delivered_by=manager,
        **extra,
    )


def test_the_catalogue_is_seed_000s_items(world):
    items = catalogue(world.sport)
    assert set(items) == {
        ItemKind.MEMBERSHIP,
        ItemKind.CPD_DAY,
        ItemKind.STRATEGIC_SUPPORT,
        ItemKind.ECT_CPD,
        ItemKind.MONITORING,
    }
    assert items[ItemKind.MEMBERSHIP].unit == "per_school"
    # Seeding twice adds nothing.
    assert services.catalogue_seed(actor=None, programme=world.sport) == []


def test_agreed_delivered_remaining(setup):
    world, manager, package, items = setup
    _log(package, items[ItemKind.STRATEGIC_SUPPORT], manager, Decimal("1.5"))
    _log(package, items[ItemKind.STRATEGIC_SUPPORT], manager, 1)
    _log(package, items[ItemKind.ECT_CPD], manager, 1)
    summary = selectors.package_summary(package)
    lines = {line.item.kind: line for line in summary.lines}
    assert lines[ItemKind.STRATEGIC_SUPPORT].delivered == Decimal("2.5")
    assert lines[ItemKind.STRATEGIC_SUPPORT].remaining == Decimal("7.5")
    assert lines[ItemKind.ECT_CPD].remaining == 0
    assert summary.days_agreed == 11 and summary.days_delivered == Decimal("3.5")
    assert summary.price_pence == 3 * 15_000 + 10 * 55_000 + 60_000 + 120_000
    assert isinstance(summary.price_pence, int)


def test_over_delivery_is_refused_with_the_figures_unless_flagged_with_a_reason(setup):
    world, manager, package, items = setup
    item = items[ItemKind.ECT_CPD]
    _log(package, item, manager, 1)
    with pytest.raises(ServiceError, match=r"agreed 1 days.*1 delivered, 0 remaining"):
        _log(package, item, manager, Decimal("0.5"))
    with pytest.raises(ServiceError, match="Say why"):
        _log(package, item, manager, Decimal("0.5"), beyond_agreement=True)
    extra = _log(
        package, item, manager, Decimal("0.5"), beyond_agreement=True, beyond_reason="Two NQTs new"
    )
    assert extra.beyond_agreement
    assert selectors.package_summary(package).over


@pytest.mark.parametrize(
    "amount, message",
    [
        (Decimal("0.3"), "whole or half"),
        (Decimal("-1"), "more than zero"),
        (0.5, "not a float"),
        ("lots", "not a number"),
        (Decimal("100000"), "check it"),
    ],
)
def test_bad_amounts_are_refused(setup, amount, message):
    world, manager, package, items = setup
    with pytest.raises(ServiceError, match=message):
        _log(package, items[ItemKind.STRATEGIC_SUPPORT], manager, amount)


def test_only_a_development_manager_delivers_and_only_within_the_package(setup):
    world, manager, package, items = setup
    item = items[ItemKind.STRATEGIC_SUPPORT]
    with pytest.raises(ServiceError, match="not a development manager"):
        _log(package, item, world.users.coordinator.person, 1)
    with pytest.raises(ServiceError, match="outside the package"):
        _log(package, item, manager, 1, on=package.start - dt.timedelta(days=1))
    with pytest.raises(ServiceError, match="has happened"):
        _log(package, item, manager, 1, on=TODAY + dt.timedelta(days=1))
    with pytest.raises(ServiceError, match="memberships"):
        _log(package, items[ItemKind.MEMBERSHIP], manager, 1)
    # A development manager of the one cluster delivers too.
    local = development_manager(cluster=world.alpha, name="Lee Local")
    assert _log(package, item, local, 1).delivered_by == local


def test_a_withdrawn_delivery_no_longer_counts_and_is_kept(setup):
    world, manager, package, items = setup
    delivery = _log(package, items[ItemKind.STRATEGIC_SUPPORT], manager, 2)
    services.delivery_withdraw(actor=None, delivery=delivery, reason="logged twice")
    assert selectors.package_summary(package).days_delivered == 0
    assert Delivery.objects.filter(pk=delivery.pk).exists()
    with pytest.raises(ServiceError, match="already"):
        services.delivery_withdraw(actor=None, delivery=delivery, reason="again")


def test_renegotiating_adds_a_version_and_keeps_deliveries(setup):
    world, manager, package, items = setup
    _log(package, items[ItemKind.STRATEGIC_SUPPORT], manager, 4)
    v1 = services.current_version(package)
    lines = [
        services.LineIn(items[ItemKind.STRATEGIC_SUPPORT], Decimal(6), 330_000),
        services.LineIn(items[ItemKind.CPD_DAY], Decimal(2), 120_000),
    ]
    v2 = services.package_renegotiate(
        actor=None, package=package, lines=lines, reason="Fewer support days, 2 CPD days"
    )
    assert v2.number == 2 and PackageVersion.objects.filter(package=package).count() == 2
    assert v1.lines.count() == 4  # the first version is kept as agreed
    summary = selectors.package_summary(package)
    assert {line.item.kind: line.remaining for line in summary.lines} == {
        ItemKind.STRATEGIC_SUPPORT: 2,
        ItemKind.CPD_DAY: 2,
    }
    with pytest.raises(ServiceError, match="4 of .* delivered already"):
        services.package_renegotiate(
            actor=None,
            package=package,
            lines=[services.LineIn(items[ItemKind.STRATEGIC_SUPPORT], Decimal(3), 1)],
            reason="cut",
        )


def test_one_package_at_a_time_per_cluster(setup):
    world, manager, package, items = setup
    with pytest.raises(ServiceError, match="renegotiate it instead"):
        example_two(world.alpha, start=package.start + dt.timedelta(days=30))


def test_membership_is_delivered_school_by_school(setup):
    world, manager, package, items = setup
    schools = [m.school for m in world.alpha.memberships.current()]
    services.memberships_record(actor=None, package=package, schools=schools[:2], start=TODAY)
    line = next(
        line
        for line in selectors.package_summary(package).lines
        if line.item.kind == ItemKind.MEMBERSHIP
    )
    assert (line.agreed, line.delivered, line.remaining) == (3, 2, 1)
    with pytest.raises(ServiceError, match="already a member"):
        services.memberships_record(actor=None, package=package, schools=schools[:1], start=TODAY)
    with pytest.raises(ServiceError, match="Not member schools"):
        services.memberships_record(
            actor=None, package=package, schools=[world.schools[7]], start=TODAY
        )


def test_status_behind_and_overdue(world):
    manager = development_manager(world.science)
    behind, _ = example_two(world.alpha, manager=manager, start=TODAY - dt.timedelta(days=300))
    assert selectors.package_summary(behind).status == "behind"
    ended, _ = example_two(world.beta, manager=manager, start=TODAY - dt.timedelta(days=400))
    assert selectors.package_summary(ended).status == "overdue"
    rows = selectors.caseload(manager.user)
    assert [r.package for r in rows] == [ended, behind]
    assert all(r.needs_attention for r in rows)
    week = (TODAY - dt.timedelta(days=7), TODAY)
    due = [i.title for i in digest.items_for(manager.user, *week) if i.kind == "due"]
    assert len(due) == 2 and "overdue" in due[0] and "behind" in due[1]


def test_cluster_page_shows_figures_and_chart_to_readers_and_forms_to_writers(setup, login):
    world, manager, package, items = setup
    _log(package, items[ItemKind.STRATEGIC_SUPPORT], manager, 3, notes="Heads' strategy day")
    page = login(world.users.head).get(reverse("packages:cluster_packages", args=[world.alpha.pk]))
    text = page.content.decode()
    assert "Strategic support from the local development manager" in text
    assert "<svg" in text and "Days remaining of Cluster working" in text
    assert "Agree a package" not in text
    detail = login(world.users.head).get(package.get_absolute_url()).content.decode()
    assert "Heads&#x27; strategy day" in detail and "Log a delivery" not in detail
    admin = login(world.users.programme_admin).get(package.get_absolute_url()).content.decode()
    assert "Log a delivery" in admin and "Renegotiate" in admin


def test_a_development_manager_logs_through_the_page_and_sees_the_caseload(setup, client):
    world, manager, package, items = setup
    client.force_login(manager.user)
    response = client.post(
        reverse("packages:delivery_new", args=[package.pk]),
        {
            "item": items[ItemKind.STRATEGIC_SUPPORT].pk,
            "on": TODAY.isoformat(),
            "amount": "0.5",
            "delivered_by": manager.pk,
            "attendee_count": "6",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert selectors.package_summary(package).days_delivered == Decimal("0.5")
    refused = client.post(
        reverse("packages:delivery_new", args=[package.pk]),
        {
            "item": items[ItemKind.ECT_CPD].pk,
            "on": TODAY.isoformat(),
            "amount": "2",
            "delivered_by": manager.pk,
        },
    )
    assert refused.status_code == 200 and "beyond it" in refused.content.decode()
    caseload = client.get(reverse("packages:caseload")).content.decode()
    assert "Alpha" in caseload and "Cluster working" in caseload


def test_agreeing_a_package_through_the_page(world, login):
    items = catalogue(world.science)
    client = login(world.users.programme_admin)
    response = client.post(
        reverse("packages:package_new", args=[world.beta.pk]),
        {
            "title": "Example 1",
            "term": "2025/26",
            "start": TODAY.isoformat(),
            "end": (TODAY + dt.timedelta(days=365)).isoformat(),
            f"qty_{items[ItemKind.MEMBERSHIP].pk}": "3",
            f"qty_{items[ItemKind.CPD_DAY].pk}": "2",
            f"price_{items[ItemKind.CPD_DAY].pk}": "1200.50",
        },
    )
    assert response.status_code == 302
    package = world.beta.packages.get()
    lines = {line.item.kind: line for line in services.current_version(package).lines.all()}
    assert lines[ItemKind.CPD_DAY].price_pence == 120_050
    assert lines[ItemKind.MEMBERSHIP].price_pence == 3 * 15_000  # the list price


def test_programme_view_and_export_show_only_visible_clusters(setup, login):
    world, manager, package, items = setup
    example_two(world.beta, manager=manager)
    url = reverse("packages:programme_packages", args=[world.science.pk])
    admin = login(world.users.programme_admin).get(url).content.decode()
    assert "Alpha" in admin and "Beta" in admin
    coordinator = login(world.users.coordinator).get(url).content.decode()
    assert "Alpha" in coordinator and "Beta" not in coordinator
    csv = b"".join(login(world.users.coordinator).get(url, {"export": "csv"}).streaming_content)
    assert b"Alpha" in csv and b"Beta" not in csv and b"Days agreed" in csv


def test_measures_digest_personal_data_and_impact_section(setup, rf):
    world, manager, package, items = setup
    _log(package, items[ItemKind.STRATEGIC_SUPPORT], manager, 5, notes="With the heads")
    percent = measures.value("packages.days_delivered_percent", world.alpha, TODAY)
    assert percent == Decimal("45.5")  # 5 of 11 days
    assert measures.value("packages.days_remaining", world.alpha, TODAY) == 6
    assert measures.value("packages.days_delivered_percent", world.gamma, TODAY) is None
    week = (TODAY - dt.timedelta(days=7), TODAY + dt.timedelta(days=1))
    assert any(
        "5 days of Strategic support" in i.title for i in digest.items_for(world.users.head, *week)
    )
    assert not [i for i in digest.items_for(world.users.outsider, *week) if i.app == "packages"]
    # 5 of 11 days after 90 of 365 days is ahead of an even pace: nothing is due.
    assert not [i for i in digest.items_for(manager.user, *week) if i.kind == "due"]
    exported = personal_data.export_for(manager)["packages: Deliveries given, attended or logged"]
    assert exported[0]["delivered_by_me"] and exported[0]["notes"] == "With the heads"
    personal_data.erase_for(manager, None)
    assert Delivery.objects.get().notes == ""
    assert "packages.Delivery" in personal_data.covered_models()
    from clusterwork.packages.plugins import impact_cluster

    assert impact_cluster(rf.get("/"), world.alpha)["totals"].delivered == 5
    assert impact_cluster(rf.get("/"), world.gamma) is None


def _api(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_lists_packages_and_refuses_over_delivery_with_409(setup, as_persona):
    world, manager, package, items = setup
    head = as_persona("head").get("/api/v1/packages/packages/").json()
    assert head["count"] == 1
    assert head["items"][0]["days_agreed"] == "11.0"
    assert as_persona("outsider").get("/api/v1/packages/packages/").json()["count"] == 0
    admin = as_persona("programme_admin")
    body = {
        "package": package.pk,
        "item": items[ItemKind.ECT_CPD].pk,
        "on": TODAY.isoformat(),
        "amount": "1",
        "delivered_by": manager.pk,
    }
    assert _api(admin, "post", "/api/v1/packages/deliveries/", body).status_code == 201
    clash = _api(admin, "post", "/api/v1/packages/deliveries/", body)
    assert clash.status_code == 409 and "agreed 1 days" in clash.json()["detail"]
    for bad in ("-1", "0.25", "abc", "1e9", 10**30):
        answer = _api(admin, "post", "/api/v1/packages/deliveries/", {**body, "amount": bad})
        assert answer.status_code == 422, (bad, answer.content)
    listed = as_persona("viewer").get(f"/api/v1/packages/deliveries/?package={package.pk}").json()
    assert listed["count"] == 1
