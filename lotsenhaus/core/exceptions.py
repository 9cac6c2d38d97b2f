"""The one error type that services raise when a business rule refuses an action, and its catalogue of codes.

Every refusal carries one ``code`` from ``ERROR_CODES``: a client (the API, a test, a form) tells refusals apart by
the code, never by the translated message. docs/api.md lists the catalogue; the OpenAPI document enumerates it
in the one error schema (``Error``)."""

from typing import Literal, get_args

ErrorCode = Literal[
    # A business rule refused the action (HTTP 400 unless noted).
    "required",
    "invalid_value",
    "invalid_date",
    "invalid_file",
    "unknown_field",
    "unknown_action",
    "duplicate",
    "wrong_state",
    "precondition",
    "not_allowed",
    "four_eyes",
    "unchanged",
    "invalid_link",
    "conflict",
    "rate_limited",
    "unavailable",
    # The request itself was refused before any business rule (HTTP layer, api.py).
    "invalid_input",
    "not_authenticated",
    "read_only_token",
    "permission_denied",
    "not_found",
]

ERROR_CODES: dict[str, str] = {
    "required": "A value the action needs is missing; `field` names it.",
    "invalid_value": "A value is outside what is allowed (range, length, choice, format); `field` names it.",
    "invalid_date": "A date lies outside its allowed period or before a date it must follow; `field` names it.",
    "invalid_file": "An uploaded or restored file cannot be read or holds nothing usable.",
    "unknown_field": "The request sets a field that this action does not change.",
    "unknown_action": "The named step (action) does not exist.",
    "duplicate": "The thing already exists (a person, a member, an entry on a list, an import).",
    "wrong_state": "The object's present state does not allow this step (already published, decided, over, fixed).",
    "precondition": "Something else must be done first (an assessment, a short list, an evaluator, a checklist).",
    "not_allowed": "A rule of the domain does not let this person do this to this object (only the owner, only "
    "members of the unit, only what you can see).",
    "four_eyes": "A second person must approve what you proposed.",
    "unchanged": "The change would change nothing.",
    "invalid_link": "A link or token from an e-mail is not valid (any more).",
    "conflict": "Someone else saved in the meantime; reload and try again (HTTP 409).",
    "rate_limited": "Too many requests of this kind in a short time; try again later (HTTP 429).",
    "unavailable": "The server cannot do this now (storage full, a system library missing) (HTTP 503).",
    "invalid_input": "The request does not match the operation's schema (HTTP 422); `errors` lists each problem.",
    "not_authenticated": "No valid token or session (HTTP 401).",
    "read_only_token": "The token may only read (HTTP 403).",
    "permission_denied": "You may not do this, or may not see this object (HTTP 403).",
    "not_found": "No such object, or none you may see (HTTP 404).",
}
assert set(ERROR_CODES) == set(get_args(ErrorCode)), "every code is documented, and nothing else"

# The HTTP status each code answers with in the API; every code not named here is a business refusal (400).
HTTP_STATUS = {
    "conflict": 409,
    "rate_limited": 429,
    "unavailable": 503,
    "invalid_input": 422,
    "not_authenticated": 401,
    "read_only_token": 403,
    "permission_denied": 403,
    "not_found": 404,
}


def http_status(code: str) -> int:
    return HTTP_STATUS.get(code, 400)


class ApplicationError(Exception):
    """A refusal the user can understand; ``message`` is already translated German (or English) text.

    ``field`` names the form field the error belongs to, if any, so forms can show it in place; ``code`` is one
    of ``ERROR_CODES``.
    """

    def __init__(self, message: str, *, code: ErrorCode, field: str | None = None) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    @property
    def http_status(self) -> int:
        return http_status(self.code)
