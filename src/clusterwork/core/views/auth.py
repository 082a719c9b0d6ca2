"""Sign in and sign out.

Signing in is django-allauth's (passwords with lockout, Microsoft/Google through OpenID
Connect, the two-factor step); this page is its login view in Clusterwork's template."""

from allauth.account.views import LoginView
from django.contrib.auth import views as auth_views


class SignInView(LoginView):
    template_name = "registration/login.html"


class SignOutView(auth_views.LogoutView):
    """Django's LogoutView accepts POST only, so a link cannot sign anyone out."""
