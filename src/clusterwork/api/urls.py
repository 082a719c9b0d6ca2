"""URLs of the JSON API, mounted at /api/v1/ by the project urls."""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver

from .main import api


def _exempt_from_login_redirect(patterns):
    """LoginRequiredMiddleware would answer an API caller with a 302 to the sign-in page;
    the API answers 401 JSON itself (and its schema and docs are public)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _exempt_from_login_redirect(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns


_patterns, _app_name, _namespace = api.urls

urlpatterns = _exempt_from_login_redirect(_patterns)
app_name = _namespace
