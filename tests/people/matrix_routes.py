"""Permission-matrix rows for the personal data pages (run by tests/web)."""

from tests.web.matrix import ANY_USER, Route, coordinator_person, profile

# A person's own data: themselves and the data protection officer (a superuser). Others who
# see the person are refused (403); those who do not, 404.
OWN_DATA = profile(programme_admin=403, head=403, viewer=403, outsider=404)
DPO_ONLY = profile(programme_admin=403, coordinator=403, head=403, viewer=403, outsider=404)


def _coordinator(w):
    return {"pk": coordinator_person(w).pk}


ROUTES = [
    Route("person_personal_data", kwargs=_coordinator, expect=OWN_DATA),
    Route(
        "person_personal_data",
        kwargs=_coordinator,
        expect=OWN_DATA,
        method="post",
        data=lambda w: {"reason": "SAR 1", "format": "json"},
    ),
    # The coordinator holds a role today, so the superuser's erasure is refused (and logged),
    # then back to the page.
    Route(
        "person_personal_data_erase",
        kwargs=_coordinator,
        expect=DPO_ONLY,
        method="post",
        ok=302,
        data=lambda w: {"reason": "Erasure 1", "confirm": coordinator_person(w).full_name},
    ),
    Route("personal_data_requests", expect=ANY_USER),
    Route("personal_data_dpia", expect=ANY_USER),
]

# The audit trail: trust and programme admins (and superusers); anyone else 403.
ROUTES += [
    Route(
        "audit_log",
        expect=profile(coordinator=403, head=403, viewer=403, outsider=403),
    ),
]
