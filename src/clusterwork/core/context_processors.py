"""The site's menus, filled by the apps (``core.registry.add_link``)."""

from django.urls import reverse

from clusterwork.core import registry


def menus(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    here = getattr(request.resolver_match, "view_name", "")

    def shown(menu):
        return [
            {"label": link.label, "url": reverse(link.url_name), "current": here == link.url_name}
            for link in registry.links_for(menu)
        ]

    return {"main_menu": shown("main"), "account_menu": shown("account")}
