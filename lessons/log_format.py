"""Log lines as JSON, one object a line (`LOG_FORMAT=json`), each with the id of the request it was
written for (lessons.web.operations.RequestIdMiddleware sets it; "-" outside a request)."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# What every LogRecord has; anything else on a record came from `extra=` and goes into the line as is.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Gives every record `request_id` (for the JSON lines, and for a plain format that names it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)
