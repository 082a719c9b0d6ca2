"""The one NinjaAPI instance behind /api/v1/: authentication, error mapping, routers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Swagger

from clusterwork.core.errors import ServiceError

from .auth import session_auth, token_auth


class ClusterworkAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # Short ids ("list_clusters") make readable generated clients; uniqueness is tested.
        return operation.view_func.__name__


api = ClusterworkAPI(
    title="Clusterwork API",
    version="1",
    description=(
        "Read and change the clusters, memberships, schools and people you may see in "
        "Clusterwork. Authenticate with `Authorization: Bearer <token>` (make a token on your "
        "account page) or, from the browser, with your signed-in session (unsafe methods then "
        "need the CSRF token). Permissions are the same as in the web pages: objects you may "
        "not see answer 404, changes you may not make answer 403. Lists page with `page` and "
        "`page_size` (at most 200) and answer `{items, count}`. Dates are ISO 8601."
    ),
    urls_namespace="api-v1",
    # Token first: a Bearer request must never be refused by the session's CSRF check.
    auth=[token_auth, session_auth],
    # "ninja" is in INSTALLED_APPS, so Swagger UI is served from ninja's bundled static files
    # (no CDN), which keeps the docs working offline and behind strict firewalls.
    docs=Swagger(settings={"persistAuthorization": True}),
)


def _error(request, status: int, detail: str, field: str | None = None):
    return api.create_response(request, {"detail": detail, "field": field}, status=status)


@api.exception_handler(ValidationError)
def service_error(request, exc: ValidationError):
    """ServiceError (and any model validation a service's full_clean raises) → 400."""
    field = getattr(exc, "field", None)
    if isinstance(exc, ServiceError):
        return _error(request, 400, exc.text, field)
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        field = None if field == "__all__" else field
        return _error(request, 400, "; ".join(e for err in errors for e in err.messages), field)
    return _error(request, 400, "; ".join(exc.messages))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(request, 403, str(exc) or "You may not do this.")


def _register_routers() -> None:
    from clusterwork.clusters.api import memberships_router, programmes_router
    from clusterwork.clusters.api import router as clusters_router
    from clusterwork.people.api import me_router
    from clusterwork.people.api import router as people_router
    from clusterwork.schools.api import local_authorities_router, trusts_router
    from clusterwork.schools.api import router as schools_router

    api.add_router("/schools/", schools_router)
    api.add_router("/trusts/", trusts_router)
    api.add_router("/local-authorities/", local_authorities_router)
    api.add_router("/programmes/", programmes_router)
    api.add_router("/clusters/", clusters_router)
    api.add_router("/memberships/", memberships_router)
    api.add_router("/people/", people_router)
    api.add_router("/me", me_router)

    from clusterwork.circumstances.api import router as changes_router
    from clusterwork.goals.api import router as goals_router
    from clusterwork.stages.api import applications_router
    from clusterwork.stages.api import router as stages_router
    from clusterwork.surveys.api import router as surveys_router

    api.add_router("/stages/", stages_router)
    api.add_router("/applications/", applications_router)
    api.add_router("/goals/", goals_router)
    api.add_router("/self-assessment/", surveys_router)
    api.add_router("/changes/", changes_router)

    from clusterwork.meetings.api import router as meetings_router

    api.add_router("/meetings/", meetings_router)


_register_routers()
