"""Logging filters: request lines are logged without their query string.

A platform call such as `GET …/oauth/url?apiKey=…&apiSecret=…` carries an app secret in its
query; when the sandbox runs inside the dashboard's own server, its request lines would log it.
"""

from __future__ import annotations

import logging
import re

QUERY = re.compile(r"\?[^\s\"]*")


class StripQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(QUERY.sub("?…", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = QUERY.sub("?…", record.msg) if "%" not in record.msg else record.msg
        return True
