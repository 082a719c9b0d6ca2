"""Security headers (CSP included) on pages, the API and static files: in-process for the
development settings, and from the real production server (gunicorn, DEBUG off) over HTTP."""

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CLUSTERWORK = str(Path(sys.executable).parent / "clusterwork")
PORT = 8717  # this suite's own port on 127.0.0.1


def assert_security_headers(headers):
    csp = headers["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in csp.split(";"))
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert "'self'" in directives["form-action"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.mark.django_db
def test_pages_and_the_api_carry_the_security_headers(client, world):
    assert_security_headers(client.get("/login/").headers)
    client.force_login(world.users.programme_admin)
    home = client.get("/")
    assert home.status_code == 200
    assert_security_headers(home.headers)
    api = client.get("/api/v1/clusters/")
    assert api.status_code == 200
    assert_security_headers(api.headers)


def test_no_template_has_an_inline_script_or_event_handler():
    """What ``script-src 'self'`` would block in a browser: keep it out of the templates."""
    import re

    src = Path(__file__).resolve().parents[2] / "src" / "clusterwork"
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    offenders = []
    for template in src.rglob("templates/**/*.html"):
        text = template.read_text()
        if inline_script.search(text) or handler.search(text) or "hx-on" in text:
            offenders.append(str(template.relative_to(src)))
    assert offenders == [], f"inline scripts would be blocked by the CSP in: {offenders}"


def _production_env(tmp_path) -> dict:
    dropped = {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        CLUSTERWORK_VAR=str(tmp_path / "var"),
    )
    return env


def _get(path, **headers):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


@pytest.mark.slow
def test_the_production_server_sends_hsts_csp_and_secure_cookies(tmp_path):
    env = _production_env(tmp_path)
    for step in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        done = subprocess.run([CLUSTERWORK, *step], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    server = subprocess.Popen(
        [CLUSTERWORK, "serve", "--bind", f"127.0.0.1:{PORT}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = _get("/login/", **{"X-Forwarded-Proto": "https"})
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.3)
        assert page.status == 200
        headers = page.headers
        assert_security_headers(headers)
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        cookies = headers.get_all("Set-Cookie")
        assert any(c.startswith("csrftoken=") and "Secure" in c for c in cookies), cookies
        # Plain HTTP is sent to HTTPS.
        plain = _get("/login/")
        assert plain.status == 301
        assert plain.headers["Location"] == f"https://127.0.0.1:{PORT}/login/"
        # Static files (served by WhiteNoise) carry the headers too.
        css = _get("/static/clusterwork/app.css", **{"X-Forwarded-Proto": "https"})
        assert css.status == 200
        assert css.headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=10)
