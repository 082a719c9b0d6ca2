"""The arithmetic of a shared cost, as property tests: every split adds up to the penny."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterwork.sharedservices.split import Period, apportion_year, largest_remainder

totals = st.integers(min_value=0, max_value=10**10)
weights = st.dictionaries(
    st.integers(min_value=1, max_value=10_000),
    st.one_of(
        st.integers(min_value=0, max_value=5_000),
        st.decimals(min_value=0, max_value=100, places=3, allow_nan=False),
    ),
    min_size=1,
    max_size=30,
).filter(lambda w: sum(Fraction(v) for v in w.values()) > 0)


@given(totals, weights)
def test_parts_add_up_to_the_total_and_each_is_within_a_penny_of_its_quota(total, ws):
    parts = largest_remainder(total, ws)
    assert sum(parts.values()) == total
    whole = sum(Fraction(v) for v in ws.values())
    for key, weight in ws.items():
        assert abs(parts[key] - total * Fraction(weight) / whole) < 1
        assert parts[key] >= 0


@given(totals, st.integers(min_value=1, max_value=40))
def test_equal_shares_differ_by_at_most_a_penny(total, n):
    parts = largest_remainder(total, dict.fromkeys(range(n), 1))
    assert max(parts.values()) - min(parts.values()) <= 1
    assert sum(parts.values()) == total


@given(totals, weights)
def test_a_larger_weight_never_pays_less_and_zero_pays_nothing(total, ws):
    parts = largest_remainder(total, ws)
    for a, wa in ws.items():
        if Fraction(wa) == 0:
            assert parts[a] == 0
        for b, wb in ws.items():
            if Fraction(wa) > Fraction(wb):
                assert parts[a] >= parts[b]


@given(totals, weights)
def test_the_split_does_not_depend_on_the_order_of_the_members(total, ws):
    reordered = dict(reversed(list(ws.items())))
    assert largest_remainder(total, ws) == largest_remainder(total, reordered)


def test_the_classic_case_three_ways():
    # £100 three ways: someone pays the extra penny, nobody loses one.
    assert sorted(largest_remainder(10_000, {"a": 1, "b": 1, "c": 1}).values()) == [
        3333,
        3333,
        3334,
    ]


def test_refuses_floats_and_nothing_to_split_by():
    with pytest.raises(TypeError):
        largest_remainder(100, {"a": 0.5})
    with pytest.raises(ValueError):
        largest_remainder(100, {"a": 0, "b": 0})


START = dt.date(2024, 9, 1)
YEAR_DAYS = 365


@st.composite
def years(draw):
    """A year cut into periods at random days, each with a random annual cost and members."""
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=YEAR_DAYS - 1), max_size=8)))
    bounds = [0, *cuts, YEAR_DAYS]
    constant_cost = draw(st.booleans())
    cost = draw(st.integers(min_value=0, max_value=10**9))
    periods = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        members = draw(
            st.dictionaries(
                st.sampled_from("ABCDEFGH"), st.integers(min_value=1, max_value=2000), max_size=6
            )
        )
        periods.append(
            Period(
                start=START + dt.timedelta(days=a),
                end=START + dt.timedelta(days=b),
                annual_cost_pence=cost
                if constant_cost
                else draw(st.integers(min_value=0, max_value=10**9)),
                weights=members,
            )
        )
    return constant_cost, cost, periods


@settings(max_examples=300)
@given(years())
def test_a_year_of_periods_adds_up_to_the_penny(case):
    constant, cost, periods = case
    result = apportion_year(periods, YEAR_DAYS)
    exact = sum(Fraction(p.annual_cost_pence * p.days, YEAR_DAYS) for p in periods)
    assert abs(result.total_pence - exact) <= Fraction(1, 2)
    assert sum(result.shares.values()) + result.unallocated_pence == result.total_pence
    for period in periods:
        assert abs(period.cost_pence - period.exact_cost) < 1
        if period.shares:
            assert sum(period.shares.values()) == period.cost_pence
    if constant and all(p.weights for p in periods):
        # the annual cost held all year and someone shared it every day: exactly the cost
        assert result.total_pence == cost
        assert sum(result.shares.values()) == cost


def test_a_mid_year_joiner_pays_for_its_days_only():
    # Four academies all year, a fifth from 1 March: £12,000 shared equally each day.
    joined = dt.date(2025, 3, 1)
    end = dt.date(2025, 9, 1)
    before = Period(START, joined, 1_200_000, weights=dict.fromkeys("ABCD", 1))
    after = Period(joined, end, 1_200_000, weights=dict.fromkeys("ABCDE", 1))
    result = apportion_year([before, after], YEAR_DAYS)
    assert result.total_pence == 1_200_000
    assert sum(result.shares.values()) == 1_200_000
    days_after = (end - joined).days  # 184
    exact_e = Fraction(1_200_000 * days_after, YEAR_DAYS) / 5
    assert abs(result.shares["E"] - exact_e) < 1
    assert result.shares["A"] > result.shares["E"]


def test_a_period_nobody_can_share_is_left_unallocated_not_guessed():
    p = Period(START, dt.date(2025, 9, 1), 50_000, weights={"A": 0}, problem="no pupil number")
    result = apportion_year([p], YEAR_DAYS)
    assert result.unallocated_pence == 50_000
    assert sum(result.shares.values()) == 0


def test_decimal_weights_are_exact():
    parts = largest_remainder(
        100_00, {"a": Decimal("33.333"), "b": Decimal("33.333"), "c": Decimal("33.334")}
    )
    assert sum(parts.values()) == 100_00
