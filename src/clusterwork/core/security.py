"""Security headers every response carries: a Content Security Policy and a Permissions
Policy (Django's SecurityMiddleware adds HSTS, nosniff, the referrer policy and COOP;
XFrameOptionsMiddleware adds X-Frame-Options).

The policy is ``settings.CONTENT_SECURITY_POLICY`` (directive -> list of sources). Pages load
scripts only from our own static files (no inline script, no eval), so ``script-src 'self'``
holds; ``style-src`` allows inline style attributes (progress bars, colour swatches, the
indicator styles htmx adds). ``form-action`` also names the sign-in providers' origins, since
signing in with Microsoft or Google posts a form that is redirected to them.
"""

from __future__ import annotations

from django.conf import settings


def policy_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(
        f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items()
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = policy_header(settings.CONTENT_SECURITY_POLICY)
        self.permissions = ", ".join(f"{name}=()" for name in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        # A view may set its own (stricter or looser) policy; it is kept.
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
