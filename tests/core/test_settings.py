"""The production settings guarantees, checked by running the real console script."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

CLUSTERWORK = str(Path(sys.executable).parent / "clusterwork")


def run(*args, **env):
    # Browser test modules set DJANGO_ALLOW_ASYNC_UNSAFE at import; deployments never do.
    dropped = {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [CLUSTERWORK, *args], capture_output=True, text=True, env=full_env, timeout=120
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_under_production_settings():
    result = run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="clusters.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_redis_url_moves_cache_and_sessions_out_of_the_database():
    code = (
        "from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    )
    result = run("shell", "-c", code, REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stderr
    assert "django_redis.cache.RedisCache django.contrib.sessions.backends.cache" in result.stdout
    default = run("shell", "-c", code)
    assert "DatabaseCache django.contrib.sessions.backends.db" in default.stdout
