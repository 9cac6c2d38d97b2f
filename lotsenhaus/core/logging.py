"""Logging helpers named in ``settings.LOGGING``."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A refused request (403, 404, 400) is an expected answer, not an error: log it as one line, without the
    traceback Django attaches (issue 17, D43). Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
