"""The one NinjaAPI instance behind /api/v1/: authentication, error mapping, routers."""

from importlib import import_module

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Swagger

from clusterwork.core.errors import ServiceError

from .auth import session_auth, token_auth

# What ninja answers when a parameter or body does not validate (a page number too large, a
# date that is not one): documented on every operation that takes input.
VALIDATION_ERROR = {
    "description": "The parameters or the body are not valid: `detail` says which and why.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
                "required": ["detail"],
            }
        }
    },
}


class ClusterworkAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # Short ids ("list_clusters") make readable generated clients; uniqueness is tested.
        return operation.view_func.__name__

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("parameters") or operation.get("requestBody"):
                    operation.setdefault("responses", {}).setdefault(422, VALIDATION_ERROR)
        return schema


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
    """Each app's ``api.py`` lists its routers as ``ROUTES = [(prefix, router), …]``; adding
    an app's API needs no change here."""
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.api"
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        for prefix, router in getattr(module, "ROUTES", ()):
            api.add_router(prefix, router)


_register_routers()
