"""The versioned REST API. Errors are mapped to responses here, in one place."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from lotsenhaus.accounts.api import router as accounts_router
from lotsenhaus.accounts.api_auth import AUTH, anonymous
from lotsenhaus.advisory.api import router as advisory_router
from lotsenhaus.airegister.api import router as airegister_router
from lotsenhaus.core.api import document_contract
from lotsenhaus.core.audit_api import router as audit_router
from lotsenhaus.core.exceptions import ApplicationError, http_status
from lotsenhaus.core.ninja_internals import operations_of
from lotsenhaus.evaluations.api import router as evaluations_router
from lotsenhaus.events.api import router as events_router
from lotsenhaus.exploration.api import router as exploration_router
from lotsenhaus.knowledge.api import router as knowledge_router
from lotsenhaus.matching.api import router as matching_router
from lotsenhaus.needs.api import router as needs_router
from lotsenhaus.notifications.api import router as notifications_router
from lotsenhaus.organisations.api import router as organisations_router
from lotsenhaus.pilots.api import router as pilots_router
from lotsenhaus.procurement.api import router as procurement_router
from lotsenhaus.startups.api import router as startups_router


class LotsenhausAPI(NinjaAPI):
    """The API whose OpenAPI document states the whole contract: error responses with the one error schema, and
    which operations anyone may call (core.api.document_contract)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        public = {
            self.get_openapi_operation_id(operation)
            for operation in operations_of(self)
            if anonymous in (operation.auth_callbacks or [])
        }
        return document_contract(schema, public_operations=public)


api = LotsenhausAPI(
    title="Lotsenhaus API",
    version="1",
    urls_namespace="api-v1",
    description="Needs, startups and the venture-client pipeline. Same permissions as the web interface.",
    auth=AUTH,
)
api.add_router("/", organisations_router)
api.add_router("/", needs_router)
api.add_router("/", startups_router)
api.add_router("/", airegister_router)
api.add_router("/", matching_router)
api.add_router("/", exploration_router)
api.add_router("/", evaluations_router)
api.add_router("/", pilots_router)
api.add_router("/", procurement_router)
api.add_router("/", notifications_router)
api.add_router("/", knowledge_router)
api.add_router("/", events_router)
api.add_router("/", advisory_router)
api.add_router("/", accounts_router)
api.add_router("/", audit_router)


def _error(request: HttpRequest, detail: str, code: str, *, status: int | None = None, **extra: Any) -> HttpResponse:
    """Every error answer of the API has this one shape (core.api.Error), its status given by its code."""
    body = {"detail": detail, "code": code, "field": None, **extra}
    return api.create_response(request, body, status=status or http_status(code))


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.message, exc.code, field=exc.field)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, _("You are not allowed to do this."), "permission_denied")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, _("Not found."), "not_found")


@api.exception_handler(OverflowError)
def _id_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """An id beyond what the database can hold names nothing: 404, not a server error."""
    return _error(request, _("Not found."), "not_found")


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, _("Please sign in or send a valid API token."), "not_authenticated")


@api.exception_handler(AuthorizationError)
def _read_only(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return _error(request, exc.message, "read_only_token")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {401: "not_authenticated", 403: "permission_denied", 404: "not_found", 429: "rate_limited"}
    return _error(request, exc.message, codes.get(exc.status_code, "invalid_input"), status=exc.status_code)


@api.exception_handler(ValidationError)
def _invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """The request does not match the operation's schema: the first problem names its field; all are listed."""
    errors = [{key: value for key, value in error.items() if key in ("loc", "msg", "type")} for error in exc.errors]
    location = errors[0].get("loc", []) if errors else []
    field = str(location[-1]) if location else None
    return _error(
        request,
        _("The request is not valid: %(problem)s") % {"problem": errors[0].get("msg", "") if errors else ""},
        "invalid_input",
        field=field,
        errors=errors,
    )
