"""The generic views every app builds its pages from (see docs/architecture.md)."""

from clusterwork.core.htmx import add_service_error, is_htmx, render_page

from .auth import SignInView, SignOutView
from .forms import EmptyForm, ServiceFormView, by_action
from .history import ObjectHistoryView, related_entries
from .lists import ObjectDetailView, ScopedListView

__all__ = [
    "EmptyForm",
    "ObjectHistoryView",
    "ObjectDetailView",
    "ScopedListView",
    "ServiceFormView",
    "SignInView",
    "SignOutView",
    "add_service_error",
    "by_action",
    "is_htmx",
    "render_page",
    "related_entries",
]
