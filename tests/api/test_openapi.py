"""The published schema: valid, complete, and the same as the committed docs/openapi.json."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from clusterwork.api.management.commands.export_openapi import render_schema
from clusterwork.api.urls import urlpatterns

from .test_permissions import MATRIX

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def test_schema_is_json_with_every_route(client):
    schema = json.loads(render_schema())
    assert schema["openapi"].startswith("3.")
    operations = {
        f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item
    }
    assert operations == {row.key for row in MATRIX}
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    operation_ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    # What /api/v1/openapi.json serves is what the command writes.
    assert client.get("/api/v1/openapi.json").json() == schema


def test_committed_schema_has_not_drifted():
    assert COMMITTED.exists(), "run `clusterwork export-openapi` and commit docs/openapi.json"
    assert COMMITTED.read_text(encoding="utf-8") == render_schema(), (
        "docs/openapi.json is stale: run `clusterwork export-openapi` and commit it"
    )


def test_check_command_passes_when_current_and_explains_drift(tmp_path):
    target = tmp_path / "openapi.json"
    call_command("export_openapi", "--output", str(target))
    call_command("export_openapi", "--check", "--output", str(target))

    stale = json.loads(target.read_text())
    del stale["paths"]["/api/v1/me"]
    target.write_text(json.dumps(stale, indent=2, sort_keys=True) + "\n")
    with pytest.raises(CommandError) as failure:
        call_command("export_openapi", "--check", "--output", str(target))
    assert failure.value.returncode == 1
    assert "new operation: GET /api/v1/me" in str(failure.value)

    with pytest.raises(CommandError, match="missing"):
        call_command("export_openapi", "--check", "--output", str(tmp_path / "absent.json"))


def test_every_api_url_answers_json_instead_of_a_login_redirect():
    # LoginRequiredMiddleware honours this flag; without it callers get a 302 to sign-in.
    assert all(getattr(p.callback, "login_required", True) is False for p in urlpatterns)
