"""Logging filters: request lines are logged without their query string; a refusal is one line.

A platform call such as `GET …/oauth/url?apiKey=…&apiSecret=…` carries an app secret in its
query; when the sandbox runs inside the dashboard's own server, its request lines would log it.

A viewer refused an admin's page is expected, not a fault: Django logs it with the traceback of
the PermissionDenied, dozens of lines for one click. One line says all there is.
"""

from __future__ import annotations

import logging
import re

from django.core.exceptions import PermissionDenied

QUERY = re.compile(r"\?[^\s\"]*")


class StripQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(QUERY.sub("?…", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = QUERY.sub("?…", record.msg) if "%" not in record.msg else record.msg
        return True


class OneLineRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, PermissionDenied):
            record.msg = f"{record.getMessage()} ({exc})" if str(exc) else record.getMessage()
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
