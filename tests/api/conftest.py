"""Helpers for calling the JSON API as the personas of the ``world`` fixture."""

import json

PERSONAS = (
    "programme_admin",
    "coordinator",
    "head",
    "viewer",
    "outsider",
    "superuser",
    "anonymous",
)


def call(client, method: str, url: str, body=None, **extra):
    """One API request; ``body`` is sent as JSON for the unsafe methods."""
    method = method.lower()
    if method in ("get", "delete"):
        return getattr(client, method)(url, body or {}, **extra)
    return getattr(client, method)(
        url, json.dumps(body if body is not None else {}), content_type="application/json", **extra
    )
