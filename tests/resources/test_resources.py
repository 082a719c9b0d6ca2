"""Shared resources: items, bookings, loans and returns; no double booking; who sees what."""

import json

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from clusterwork.core import digest, measures, personal_data
from clusterwork.core.errors import ServiceError
from clusterwork.resources import selectors, services
from clusterwork.resources.models import Loan
from tests.factories import end_current_roles

from .helpers import book, days, photo, themed_box


def test_an_item_is_held_by_a_member_school_and_shared_within_the_programme(world):
    box = themed_box(world, shared_with=[world.beta])
    assert set(box.clusters.all()) == {world.alpha, world.beta}
    with pytest.raises(ServiceError, match="owner school must be a member"):
        services.resource_create(
            actor=None,
            cluster=world.alpha,
            name="Data loggers",
            kind="kit",
            owner_school=world.schools[5],
            location="Lab",
        )
    with pytest.raises(ServiceError, match="Only clusters of Science Clusters"):
        themed_box(world, shared_with=[world.gamma], name="Other box")


def test_a_clash_is_refused_naming_the_school_and_dates(world):
    box = themed_box(world)
    book(box, world.schools[1], days(2), days(9))
    with pytest.raises(services.Clash, match=r"booked by .* – .*overlaps those dates") as error:
        book(box, world.schools[2], days(8), days(12))
    assert world.schools[1].name in str(error.value)
    # The day it comes back is free for the next school (end is exclusive).
    assert book(box, world.schools[2], days(9), days(12)).status == "booked"


def test_cancelled_and_returned_loans_free_their_dates(world):
    box = themed_box(world)
    first = book(box, world.schools[1], days(0), days(5))
    services.loan_cancel(actor=None, loan=first, reason="trip moved")
    second = book(box, world.schools[2], days(0), days(5))
    services.loan_check_out(actor=None, loan=second)
    with pytest.raises(services.Clash):
        book(box, world.schools[1], days(1), days(3))
    services.loan_return(actor=None, loan=second, condition="good")
    assert book(box, world.schools[1], days(1), days(3)).status == "booked"
    assert Loan.objects.filter(resource=box).count() == 3  # nothing deleted


def test_bad_bookings_are_refused(world):
    box = themed_box(world)
    with pytest.raises(ServiceError, match="after the start"):
        book(box, world.schools[1], days(5), days(5))
    with pytest.raises(ServiceError, match="today or later"):
        book(box, world.schools[1], days(-3), days(2))
    with pytest.raises(ServiceError, match="at most 120 days"):
        book(box, world.schools[1], days(1), days(200))
    with pytest.raises(ServiceError, match="not in a cluster that shares"):
        book(box, world.schools[4], days(1), days(3))


def test_check_out_return_and_condition_notes(world):
    box = themed_box(world)
    loan = book(box, world.schools[1], days(0), days(4))
    later = book(box, world.schools[2], days(4), days(8))
    services.loan_check_out(actor=None, loan=loan)
    with pytest.raises(ServiceError, match="starts on"):
        services.loan_check_out(actor=None, loan=later)
    with pytest.raises(ServiceError, match="Say what is worn"):
        services.loan_return(actor=None, loan=loan, condition="needs_repair")
    services.loan_return(
        actor=None, loan=loan, condition="needs_repair", notes="Star projector bulb gone"
    )
    box.refresh_from_db()
    assert box.condition == "needs_repair"
    assert loan.history.count() >= 3


def test_an_item_still_out_cannot_be_checked_out_again(world):
    box = themed_box(world)
    first = book(box, world.schools[1], days(0), days(1))
    services.loan_check_out(actor=None, loan=first)
    Loan.objects.filter(pk=first.pk).update(start=days(-5), end=days(-1))  # now overdue
    second = book(box, world.schools[2], days(0), days(3))
    with pytest.raises(ServiceError, match="still with .* record its return first"):
        services.loan_check_out(actor=None, loan=second)


def _overdue(world, box):
    loan = book(box, world.schools[1], days(0), days(3), borrower=world.users.head.person)
    services.loan_check_out(actor=None, loan=loan)
    Loan.objects.filter(pk=loan.pk).update(start=days(-10), end=days(-2))
    return Loan.objects.get(pk=loan.pk)


def test_overdue_loans_are_shown_reminded_counted_and_in_the_digest(world, login):
    box = themed_box(world)
    loan = _overdue(world, box)
    page = login(world.users.viewer).get(
        reverse("resources:cluster_resources", args=[world.alpha.pk])
    )
    text = page.content.decode()
    assert "Overdue" in text and "Space themed box" in text and world.schools[1].name in text
    assert services.reminders_send() == 1
    assert services.reminders_send() == 0  # once a day
    assert "was due back" in mail.outbox[0].subject and mail.outbox[0].to == ["head@example.org"]
    assert measures.value("resources.loans_overdue", world.alpha, days(0)) == 1
    assert measures.value("resources.loans_overdue", world.gamma, days(0)) is None
    items = digest.items_for(world.users.head, days(-7), days(0))
    due = [i for i in items if i.app == "resources"]
    assert due and due[0].kind == "due" and "overdue since" in due[0].title
    assert not [
        i for i in digest.items_for(world.users.outsider, days(-7), days(0)) if i.app == "resources"
    ]
    exported = personal_data.export_for(world.users.head.person)[
        "resources: Loans of shared resources"
    ]
    assert exported[0]["borrower"] is True
    end_current_roles(world.users.head.person)
    personal_data.erase_for(world.users.head.person, None)
    loan.refresh_from_db()
    assert loan.borrower is None and loan.status == "out"


def test_the_availability_calendar_marks_booked_and_lent_days(world, login):
    box = themed_box(world)
    book(box, world.schools[1], days(0), days(3))
    months = selectors.availability(box)
    states = {d.day: d.state for m in months for w in m.weeks for d in w if d.day}
    assert states[days(0)] == "booked" and states[days(2)] == "booked"
    assert states[days(3)] == "free"
    text = login(world.users.head).get(box.get_absolute_url()).content.decode()
    assert 'class="cal-booked"' in text and "Availability" in text


def test_a_school_books_for_itself_and_another_clusters_bookings_name_no_school(world, login):
    box = themed_box(world, shared_with=[world.beta])
    assert list(selectors.bookable_schools(world.users.head, box)) == [world.schools[0]]
    assert selectors.bookable_schools(world.users.viewer, box).count() == 0
    # A beta school books it; alpha's coordinator sees the dates taken, not by whom.
    book(box, world.schools[3], days(1), days(4))
    text = login(world.users.coordinator).get(box.get_absolute_url()).content.decode()
    assert world.schools[3].name not in text and "A school of another cluster" in text
    assert "Beta" not in text
    head = login(world.users.head)
    response = head.post(
        box.get_absolute_url(),
        {"school": world.schools[0].pk, "start": days(2).isoformat(), "end": days(5).isoformat()},
    )
    assert response.status_code == 200 and "overlaps those dates" in response.content.decode()
    response = head.post(
        box.get_absolute_url(),
        {"school": world.schools[1].pk, "start": days(5).isoformat(), "end": days(6).isoformat()},
    )
    assert response.status_code == 200  # not the head's school: not a choice
    assert not Loan.objects.filter(school=world.schools[1]).exists()


def test_photos_are_checked_and_served_only_to_who_sees_the_item(world, login, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    box = themed_box(world, with_photo=True)
    url = reverse("resources:resource_photo", args=[box.pk])
    assert login(world.users.head).get(url).status_code == 200
    assert login(world.users.outsider).get(url).status_code == 404
    client = login(world.users.coordinator)
    response = client.post(
        reverse("resources:resource_new", args=[world.alpha.pk]),
        {
            "name": "Microscopes",
            "kind": "kit",
            "owner_school": world.schools[0].pk,
            "location": "Lab",
            "condition": "good",
            "photo": photo("scope.png", b"#!/bin/sh\nrm -rf /\n"),
        },
    )
    assert response.status_code == 200 and "scope.png" in response.content.decode()
    assert not world.alpha.resources.filter(name="Microscopes").exists()


def test_api_books_and_answers_409_on_a_clash(world, as_persona):
    box = themed_box(world)
    body = {
        "item": box.pk,
        "school_urn": world.schools[0].urn,
        "start": days(1).isoformat(),
        "end": days(4).isoformat(),
    }
    head = as_persona("head")
    post = head.post(
        "/api/v1/resources/bookings/", json.dumps(body), content_type="application/json"
    )
    assert post.status_code == 201
    again = head.post(
        "/api/v1/resources/bookings/", json.dumps(body), content_type="application/json"
    )
    assert again.status_code == 409 and world.schools[0].name in again.json()["detail"]
    item = as_persona("viewer").get(f"/api/v1/resources/items/{box.pk}").json()
    assert item["busy"][0]["school"]["urn"] == world.schools[0].urn
    assert as_persona("outsider").get("/api/v1/resources/bookings/").json()["count"] == 0


def test_impact_section(world, rf):
    from clusterwork.resources.plugins import impact_cluster

    assert impact_cluster(rf.get("/"), world.alpha) is None
    box = themed_box(world)
    _overdue(world, box)
    assert impact_cluster(rf.get("/"), world.alpha) == {"items": 1, "loans_year": 1, "overdue": 1}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)
def test_the_database_refuses_an_overlap_written_past_the_service(world):
    box = themed_box(world)
    book(box, world.schools[1], days(2), days(9))
    with pytest.raises(IntegrityError, match="loan_no_double_booking"), transaction.atomic():
        Loan.objects.create(
            resource=box, cluster=world.alpha, school=world.schools[2], start=days(5), end=days(6)
        )
    # A cancelled row does not hold dates, so it may overlap.
    Loan.objects.create(
        resource=box,
        cluster=world.alpha,
        school=world.schools[2],
        start=days(5),
        end=days(6),
        status="cancelled",
    )


def test_the_reminder_command_sends_once_a_day(world):
    from io import StringIO

    from django.core.management import call_command

    _overdue(world, themed_box(world))
    out = StringIO()
    call_command("send_loan_reminders", stdout=out)
    call_command("send_loan_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["1 overdue reminder sent.", "0 overdue reminders sent."]
    assert len(mail.outbox) == 1
