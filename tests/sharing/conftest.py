import pytest

from clusterwork.core.tasks import IMMEDIATE_BACKEND


@pytest.fixture(autouse=True)
def _sharing_settings(settings, tmp_path):
    # Notification emails are sent in the request; uploads are kept in a fresh private folder.
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE_BACKEND}}
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
