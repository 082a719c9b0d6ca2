"""The registries core offers the apps: measures, digest collectors, personal data."""

from datetime import date
from decimal import Decimal

import pytest

from clusterwork.core import digest, measures, personal_data
from clusterwork.core.digest import DigestItem
from clusterwork.core.measures import Measure
from clusterwork.core.personal_data import PersonalData


@pytest.fixture(autouse=True)
def _own_registries(monkeypatch):
    # The apps' real entries stay untouched for the tests that run after these.
    monkeypatch.setattr(measures, "_MEASURES", {})
    monkeypatch.setattr(digest, "_COLLECTORS", {})
    monkeypatch.setattr(personal_data, "_ENTRIES", {})


def test_a_measure_is_computed_for_its_subject_and_day():
    seen = []
    measure = Measure(
        key="test.days_in_month",
        label="Day of month",
        applies_to="school",
        compute=lambda school, day: seen.append(school) or Decimal(day.day),
    )
    measures.register(measure)
    assert measures.value("test.days_in_month", "a school", date(2026, 3, 14)) == Decimal(14)
    assert seen == ["a school"]
    assert ("test.days_in_month", "Day of month") in measures.choices("school")
    assert measure not in measures.measures_for("cluster")


def test_a_measure_key_cannot_change_meaning_and_unknown_keys_are_named():
    measures.register(Measure("test.fixed", "Fixed", "cluster", compute=lambda c, d: 1))
    with pytest.raises(ValueError, match="test.fixed"):
        measures.register(Measure("test.fixed", "Other", "cluster", compute=lambda c, d: 2))
    with pytest.raises(KeyError, match="no measure 'test.nothing'"):
        measures.get("test.nothing")
    with pytest.raises(ValueError, match="applies_to"):
        Measure("test.bad", "Bad", "trust", compute=lambda c, d: 0)


def test_digest_puts_what_is_due_first():
    digest.register(
        "test_news", lambda user, since, until: [DigestItem("t", "A report", when=date(2026, 1, 2))]
    )
    digest.register(
        "test_due", lambda user, since, until: [DigestItem("t", "Approve a claim", kind="due")]
    )
    titles = [i.title for i in digest.items_for(None, date(2026, 1, 1), date(2026, 1, 8))]
    assert titles.index("Approve a claim") < titles.index("A report")


def test_personal_data_exports_and_erases_through_every_entry():
    erased = []
    personal_data.register(
        PersonalData(
            app="test",
            label="Notes",
            export=lambda p: [{"note": f"about {p}"}],
            erase=lambda p, actor: erased.append((p, actor)) or 3,
            models=("test.Note",),
        )
    )
    assert personal_data.export_for("Ann")["test: Notes"] == [{"note": "about Ann"}]
    assert personal_data.erase_for("Ann", "admin")["test: Notes"] == 3
    assert erased == [("Ann", "admin")]
    assert "test.Note" in personal_data.covered_models()
