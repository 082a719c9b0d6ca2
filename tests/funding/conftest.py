import pytest


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    # Uploaded evidence goes to a fresh folder per test, never into the checkout.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
