"""Money in whole pence: parsed from what people type, shown as pounds, never a float.

``parse_pounds("1,234.50")`` is 123450; "12.345" (a fraction of a penny), "-5", "abc" and
sums above ``MAX_PENCE`` are refused with a message saying why. ``pounds(123450)`` is
"£1,234.50". Rates that divide (an hour of a coordinator's day) round half up to the penny,
in ``Decimal``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

# One claim or allocation of more than £10m is a typing mistake, not a cluster's budget.
MAX_PENCE = 1_000_000_000
PENNY = Decimal("0.01")


def pounds(pence) -> str:
    """“£1,234.50” (and “−£3.00”) for a whole number of pence; “—” for None."""
    if pence is None:
        return "—"
    pence = int(pence)
    sign = "−" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def parse_pounds(text, *, allow_zero: bool = False) -> int:
    """Pence from “1234.5”, “£1,234.50” or a Decimal; refuses what is not money."""
    if isinstance(text, (bool, float)):  # noqa: UP038
        raise ValidationError("Give the amount in pounds and pence, e.g. 125.50.")
    raw = str(text).strip().replace(",", "").replace("£", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(f"“{text}” is not an amount of money, e.g. 125.50.") from None
    if not value.is_finite():
        raise ValidationError(f"“{text}” is not an amount of money, e.g. 125.50.")
    if value != value.quantize(PENNY):
        raise ValidationError("An amount is in pounds and whole pence (at most 2 decimals).")
    pence = int(value * 100)
    check_pence(pence, allow_zero=allow_zero)
    return pence


def check_pence(pence, *, allow_zero: bool = False, field: str | None = None) -> int:
    """A whole, positive (or zero) number of pence no larger than MAX_PENCE."""
    from clusterwork.core.errors import ServiceError

    if isinstance(pence, bool) or not isinstance(pence, int):
        raise ServiceError("An amount is a whole number of pence.", field=field)
    if pence < 0 or (pence == 0 and not allow_zero):
        raise ServiceError(
            "An amount must be more than zero." if pence == 0 else "An amount cannot be negative.",
            field=field,
        )
    if pence > MAX_PENCE:
        raise ServiceError(
            f"{pounds(pence)} is more than the {pounds(MAX_PENCE)} allowed.", field=field
        )
    return pence


def times(quantity: Decimal, rate_pence: int) -> int:
    """``quantity`` (days, half days, hours) × a rate in pence, rounded half up to a penny."""
    return int((Decimal(quantity) * rate_pence).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share(part: int, whole: int, places: int = 1) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (None when there is no whole)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
