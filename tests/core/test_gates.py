import pytest

from clusterwork.core import gates
from clusterwork.core.errors import ServiceError


def test_a_gate_refuses_the_step_it_guards_and_no_other():
    seen = []

    def over_threshold(*, amount_pence, **facts):
        seen.append(amount_pence)
        if amount_pence > 500_00:
            raise ServiceError("Above £500 the cluster board decides first.")

    gates.register("test.approve", over_threshold)
    gates.register("test.approve", over_threshold)  # once only
    try:
        gates.check("test.approve", amount_pence=100_00)
        with pytest.raises(ServiceError, match="cluster board decides"):
            gates.check("test.approve", amount_pence=600_00)
        gates.check("test.other", amount_pence=600_00)  # no gate: nothing to ask
        assert seen == [100_00, 600_00]
    finally:
        gates._GATES.pop("test.approve")
