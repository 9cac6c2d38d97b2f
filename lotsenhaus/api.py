"""The versioned REST API. Errors are mapped to responses here, in one place."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from lotsenhaus.accounts.api import router as accounts_router
from lotsenhaus.accounts.api_auth import AUTH
from lotsenhaus.advisory.api import router as advisory_router
from lotsenhaus.airegister.api import router as airegister_router
from lotsenhaus.challenges.api import router as challenges_router
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.evaluations.api import router as evaluations_router
from lotsenhaus.events.api import router as events_router
from lotsenhaus.exploration.api import router as exploration_router
from lotsenhaus.knowledge.api import router as knowledge_router
from lotsenhaus.matching.api import router as matching_router
from lotsenhaus.notifications.api import router as notifications_router
from lotsenhaus.organisations.api import router as organisations_router
from lotsenhaus.pilots.api import router as pilots_router
from lotsenhaus.procurement.api import router as procurement_router
from lotsenhaus.startups.api import router as startups_router

api = NinjaAPI(
    title="Lotsenhaus API",
    version="1",
    urls_namespace="api-v1",
    description="Needs, startups and the venture-client pipeline. Same permissions as the web interface.",
    auth=AUTH,
)
api.add_router("/", organisations_router)
api.add_router("/", challenges_router)
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


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "field": exc.field, "code": exc.code}, status=400)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _("You are not allowed to do this.")}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(OverflowError)
def _id_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """An id beyond what the database can hold names nothing: 404, not a server error."""
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
