"""Quorum, vote tallies and lead-head eligibility as property tests (hypothesis)."""

import math

from hypothesis import given
from hypothesis import strategies as st

from clusterwork.governance.models import Board, Rating
from clusterwork.governance.quorum import lead_head_eligible, quorum_needed, tally

RULES = st.sampled_from([Board.Quorum.HALF, Board.Quorum.THIRD, Board.Quorum.TWO_THIRDS])


@given(rule=RULES, members=st.integers(min_value=0, max_value=200))
def test_quorum_is_at_least_one_and_never_more_than_the_members(rule, members):
    needed = quorum_needed(rule, members)
    assert needed >= 1
    assert needed <= max(1, members)


@given(members=st.integers(min_value=0, max_value=200))
def test_half_rounded_up_means_a_strict_minority_is_never_quorate(members):
    needed = quorum_needed(Board.Quorum.HALF, members)
    assert needed == max(1, math.ceil(members / 2))
    assert 2 * needed >= members


@given(
    rule=RULES,
    members=st.integers(min_value=1, max_value=200),
    vacancies=st.integers(min_value=0, max_value=50),
)
def test_vacancies_never_raise_the_quorum(rule, members, vacancies):
    # Vacant seats are not members: filling them can only raise what is needed.
    assert quorum_needed(rule, members) <= quorum_needed(rule, members + vacancies)


FRACTIONS = {Board.Quorum.HALF: 1 / 2, Board.Quorum.THIRD: 1 / 3, Board.Quorum.TWO_THIRDS: 2 / 3}


@given(rule=RULES, members=st.integers(min_value=1, max_value=100))
def test_the_quorum_is_the_smallest_count_reaching_the_rules_share(rule, members):
    needed = quorum_needed(rule, members)
    share = FRACTIONS[rule] * members
    assert needed >= share - 1e-9
    assert needed - 1 < share - 1e-9 or needed == 1


@given(fixed=st.integers(min_value=1, max_value=30), members=st.integers(0, 100))
def test_a_fixed_quorum_ignores_the_size_of_the_board(fixed, members):
    assert quorum_needed(Board.Quorum.FIXED, members, fixed) == fixed


VOTES = st.lists(st.sampled_from(["for", "against", "abstain"]), max_size=40)


@given(votes=VOTES, casting=st.sampled_from(["", "for", "against"]))
def test_the_tally_is_the_majority_and_a_tie_needs_the_casting_vote(votes, casting):
    result = tally(votes, casting)
    yes, no = votes.count("for"), votes.count("against")
    if yes > no:
        assert result == "carried"
    elif no > yes:
        assert result == "lost"
    elif casting:
        assert result == ("carried" if casting == "for" else "lost")
    else:
        assert result == "tied"


@given(votes=VOTES)
def test_abstentions_never_change_the_result(votes):
    assert tally(votes) == tally([v for v in votes if v != "abstain"])


@given(
    rating=st.sampled_from([*Rating.values, "", None]),
    eligible=st.lists(st.sampled_from(Rating.values), unique=True),
)
def test_eligibility_follows_the_configured_rule_and_never_an_unknown_rating(rating, eligible):
    allowed = lead_head_eligible(rating, eligible)
    if not rating:
        assert not allowed
    elif eligible:
        assert allowed == (rating in eligible)
    else:
        assert allowed == (rating in (Rating.OUTSTANDING, Rating.GOOD))
