"""Request lines reach the log without their query string (an OAuth URL call carries a secret)."""

from __future__ import annotations

import logging


def test_server_request_lines_lose_their_query(caplog):
    logger = logging.getLogger("django.server")
    logger.addHandler(caplog.handler)
    try:
        logger.warning('"%s" %s %s',
                       "GET /sandbox/elements/api-v2/elements/x/oauth/url?apiKey=k&apiSecret=s3cr3t "
                       "HTTP/1.1", 400, 120)
    finally:
        logger.removeHandler(caplog.handler)
    assert "s3cr3t" not in caplog.text
    assert "GET /sandbox/elements/api-v2/elements/x/oauth/url?… HTTP/1.1" in caplog.text
