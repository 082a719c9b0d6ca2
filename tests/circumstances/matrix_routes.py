"""Permission-matrix rows for the changes pages (run by tests/web)."""

from tests.web.matrix import ALPHA_READ, ALPHA_WRITE, Route

ROUTES = [
    Route("cluster_changes", kwargs=lambda w: {"pk": w.alpha.pk}, expect=ALPHA_READ),
    Route("staff_change", kwargs=lambda w: {"pk": w.alpha.pk}, expect=ALPHA_WRITE),
]
