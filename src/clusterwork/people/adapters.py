"""django-allauth's hooks: nobody signs themselves up (accounts are made by whoever appoints
people), and single sign-on only signs in an existing account whose email the school's
identity provider has verified."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # An unknown (or unverified) email is refused: "Sign up closed" names no account.
        return False

    def pre_social_login(self, request, sociallogin):
        # For the sign-in record (people.signals): which provider signed them in.
        request._clusterwork_sign_in_provider = sociallogin.account.provider
        super().pre_social_login(request, sociallogin)
