"""How API requests authenticate: bearer tokens for people and systems, the browser session, or nobody."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer, SessionAuth

from lotsenhaus.accounts.models import TokenScope
from lotsenhaus.accounts.services import api_token_for

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer lh_…`` for people and for other systems (system accounts).

    A read-only token is refused (403) on every request that could change something.
    """

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        api_token = api_token_for(token)
        if api_token is None:
            return None
        if api_token.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise AuthorizationError(message=_("This token may only read. Create a token that may also write."))
        request.user = api_token.user
        return api_token.user


def anonymous(request: HttpRequest) -> bool:
    """Let the request through as the anonymous public, unless it sent a token that was refused (then 401,
    so that a system with a broken or expired token notices instead of silently seeing less)."""
    return "HTTP_AUTHORIZATION" not in request.META


# Every endpoint unless it says otherwise: a token or a signed-in session.
AUTH = [TokenAuth(), SessionAuth()]
# Public endpoints whose answer depends on who asks (the board, search): a token or session is still honoured.
OPTIONAL_AUTH = [*AUTH, anonymous]
