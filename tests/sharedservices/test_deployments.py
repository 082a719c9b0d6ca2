"""Teacher deployment: recharges at a day rate plus on-cost, double bookings refused by the
service and (on PostgreSQL) by the database, statements per school."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from clusterwork.core import personal_data
from clusterwork.core.errors import ServiceError
from clusterwork.sharedservices import services
from clusterwork.sharedservices.deployments import days_charged, recharge_pence, weekdays_between
from clusterwork.sharedservices.models import Deployment

from .helpers import YEAR, alpha_deployment, teacher


def test_days_count_weekdays_and_sessions_are_half_days():
    monday = dt.date(2025, 1, 6)
    assert weekdays_between(monday, monday + dt.timedelta(days=14), None) == 10
    assert weekdays_between(monday, monday + dt.timedelta(days=14), 1) == 2  # Tuesdays
    assert weekdays_between(monday, monday, None) == 0
    d = Deployment(start=monday, end=monday + dt.timedelta(days=7), session="am", weekday=None)
    assert days_charged(d) == Decimal("2.5")


def test_recharge_is_day_rate_times_days_plus_on_cost_to_the_penny(world):
    deployment = alpha_deployment(world)  # 6–20 Jan 2025, £300 a day, 25 % on-cost
    days = days_charged(deployment)
    assert days == 10
    assert recharge_pence(deployment, days) == 375_000
    odd = Deployment(day_rate_pence=33_333, on_cost_percent=Decimal("21.5"))
    assert recharge_pence(odd, Decimal("1.5")) == 60_749  # 49,999.5 × 1.215 = 60,749.39…


def test_a_double_booked_teacher_is_refused_with_the_clash_named(world):
    first = alpha_deployment(world)
    with pytest.raises(ServiceError, match="already deployed to") as refused:
        services.deployment_create(
            actor=None,
            cluster=world.alpha,
            person=first.person,
            home_school=world.schools[0],
            host_school=world.schools[2],
            purpose="cover",
            start=dt.date(2025, 1, 13),
            end=dt.date(2025, 1, 15),
            day_rate_pence=20_000,
        )
    assert world.schools[1].name in str(refused.value)
    # a different session on other days of the week is not a clash
    ok = services.deployment_create(
        actor=None,
        cluster=world.alpha,
        person=first.person,
        home_school=world.schools[0],
        host_school=world.schools[2],
        purpose="cover",
        start=dt.date(2025, 1, 20),
        end=dt.date(2025, 2, 1),
        day_rate_pence=20_000,
        session="pm",
    )
    morning = services.deployment_create(
        actor=None,
        cluster=world.alpha,
        person=first.person,
        home_school=world.schools[0],
        host_school=world.schools[1],
        purpose="coaching",
        start=dt.date(2025, 1, 20),
        end=dt.date(2025, 2, 1),
        day_rate_pence=20_000,
        session="am",
    )
    assert ok.pk and morning.pk
    # once cancelled, the days are free again
    services.deployment_cancel(actor=None, deployment=first, reason="head ill")
    again = services.deployment_create(
        actor=None,
        cluster=world.alpha,
        person=first.person,
        home_school=world.schools[0],
        host_school=world.schools[2],
        purpose="cover",
        start=dt.date(2025, 1, 13),
        end=dt.date(2025, 1, 15),
        day_rate_pence=20_000,
    )
    assert again.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PG's")
def test_postgresql_itself_refuses_a_double_booking(world):
    first = alpha_deployment(world)
    clash = Deployment(
        cluster=world.alpha,
        person=first.person,
        home_school=world.schools[0],
        host_school=world.schools[2],
        purpose="cover",
        start=dt.date(2025, 1, 8),
        end=dt.date(2025, 1, 9),
        day_rate_pence=1,
    )
    with pytest.raises(IntegrityError, match="deployment_no_double_booking"), transaction.atomic():
        clash.save()  # bypassing the service: the database refuses


def test_host_and_home_must_be_academies_of_the_cluster_throughout(world):
    person = teacher(world)
    with pytest.raises(ServiceError, match="is not an academy of"):
        services.deployment_create(
            actor=None,
            cluster=world.alpha,
            person=person,
            home_school=world.schools[0],
            host_school=world.schools[3],  # beta's
            purpose="cover",
            start=dt.date(2025, 1, 6),
            end=dt.date(2025, 1, 7),
            day_rate_pence=1,
        )
    with pytest.raises(ServiceError, match="home school"):
        services.deployment_create(
            actor=None,
            cluster=world.alpha,
            person=person,
            home_school=world.schools[1],
            host_school=world.schools[2],
            purpose="cover",
            start=dt.date(2025, 1, 6),
            end=dt.date(2025, 1, 7),
            day_rate_pence=1,
        )


def test_statements_say_who_pays_and_who_receives(world, login):
    alpha_deployment(world)
    client = login(world.users.coordinator)
    host = world.schools[1]
    page = client.get(
        reverse("sharedservices:deployment_statement", args=[host.urn, YEAR, "html"])
    ).content.decode()
    assert "Tess Teacher" in page and "pays £3,750.00" in page
    home = client.get(
        reverse("sharedservices:deployment_statement", args=[world.schools[0].urn, YEAR, "csv"])
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(home.streaming_content).decode()[1:])))
    assert rows[0]["Pays or receives"] == "receives" and rows[0]["Recharge (£)"] == "3750.00"
    pdf = client.get(reverse("sharedservices:deployment_statement", args=[host.urn, YEAR, "pdf"]))
    assert pdf.content.startswith(b"%PDF")


def test_the_cluster_page_refuses_a_clash_with_200_and_the_reason(world, login):
    first = alpha_deployment(world)
    client = login(world.users.coordinator)
    response = client.post(
        reverse("sharedservices:cluster_deployments", args=[world.alpha.pk]),
        {
            "person": first.person.pk,
            "home_school": world.schools[0].pk,
            "host_school": world.schools[2].pk,
            "purpose": "cover",
            "start": "2025-01-07",
            "end": "2025-01-08",
            "session": "full",
            "weekday": "",
            "day_rate_pence": "200.00",
            "on_cost_percent": "0",
        },
    )
    assert response.status_code == 200
    assert "cannot be double-booked" in response.content.decode()
    assert Deployment.objects.filter(person=first.person).count() == 1


def test_the_api_answers_a_clash_with_400_and_the_reason(world, as_persona):
    import json

    first = alpha_deployment(world)
    response = as_persona("programme_admin").post(
        "/api/v1/services/deployments/",
        json.dumps(
            {
                "cluster": world.alpha.pk,
                "person": first.person.pk,
                "home_school_urn": world.schools[0].urn,
                "host_school_urn": world.schools[2].urn,
                "purpose": "cover",
                "start": "2025-01-07",
                "end": "2025-01-08",
                "day_rate_pence": 100,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "double-booked" in response.json()["detail"]


def test_personal_data_exports_and_erases_a_persons_deployments(world):
    deployment = services.deployment_create(
        actor=None,
        cluster=world.alpha,
        person=teacher(world, "Pat Private"),
        home_school=world.schools[0],
        host_school=world.schools[1],
        purpose="specialist",
        start=dt.date(2025, 2, 3),
        end=dt.date(2025, 2, 4),
        day_rate_pence=100,
        notes="Returning from leave",
    )
    exported = personal_data.export_for(deployment.person)["sharedservices: Teacher deployments"]
    assert exported[0]["host_school"] == world.schools[1].name
    assert "sharedservices.Deployment" in personal_data.covered_models()
    erased = personal_data.erase_for(deployment.person, None)
    assert erased["sharedservices: Teacher deployments"] == 1
    deployment.refresh_from_db()
    assert deployment.notes == "" and deployment.pk
