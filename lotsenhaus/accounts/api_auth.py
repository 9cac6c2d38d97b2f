"""How API requests authenticate: bearer tokens for people and systems, the browser session, or nobody."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from lotsenhaus.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer lh_…`` for people and for other systems (system accounts)."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def anonymous(request: HttpRequest) -> bool:
    """Let the request through as the anonymous public, unless it sent a token that was refused (then 401,
    so that a system with a broken or expired token notices instead of silently seeing less)."""
    return "HTTP_AUTHORIZATION" not in request.META


# Every endpoint unless it says otherwise: a token or a signed-in session.
AUTH = [TokenAuth(), SessionAuth()]
# Public endpoints whose answer depends on who asks (the board, search): a token or session is still honoured.
OPTIONAL_AUTH = [*AUTH, anonymous]
