"""Dates in messages, written as people write them."""

import datetime as dt


def day_text(day: dt.date) -> str:
    """1 Sep 2024 (no leading zero, short month): how dates read in refusals and notes."""
    return f"{day.day} {day:%b %Y}"
