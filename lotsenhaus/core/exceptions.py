"""The one error type that services raise when a business rule refuses an action."""


class ApplicationError(Exception):
    """A refusal the user can understand; ``message`` is already translated German (or English) text.

    ``field`` names the form field the error belongs to, if any, so forms can show it in place.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
