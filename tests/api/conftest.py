"""Helpers for calling the JSON API as the personas of the ``world`` fixture."""

import json

import pytest
from django.test import Client

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


@pytest.fixture
def as_persona(world):
    """``as_persona("coordinator")`` → a test client signed in (session) as that persona."""

    def _client(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            client.force_login(getattr(world.users, name))
        return client

    return _client
