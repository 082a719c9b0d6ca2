import pytest
from django.core.management import CommandError, call_command

from clusterwork.clusters.models import Programme
from clusterwork.meetings import engagement
from clusterwork.meetings.management.commands.generate_load_data import PROGRAMME
from clusterwork.meetings.models import Event, Invitation

pytestmark = pytest.mark.django_db


def test_generate_load_data_small_scale(capsys):
    call_command(
        "generate_load_data",
        "--schools",
        "40",
        "--clusters",
        "8",
        "--years",
        "1",
        "--synthetic-schools",
    )
    programme = Programme.objects.get(name=PROGRAMME)
    assert programme.clusters.count() == 8
    events = Event.objects.filter(programme=programme).count()
    assert 8 * 8 <= events <= 8 * 12
    # Two invitees (subject leader and head) per member school per event.
    assert Invitation.objects.count() == events * 2 * 5
    page = engagement.engagement_for_programme(programme)
    assert page.total == 40 and all(row.held == 4 for row in page.rows)
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_load_data", "--schools", "40", "--clusters", "8")
