"""Request lines reach the log without their query string (an OAuth URL call carries a secret)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.test import Client

from tests.conftest import http_library_breaks, mailed_reports


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


def test_a_viewers_403_is_one_line(viewer_http, caplog):
    """28 tracebacks came from one viewer's walk through the pages: each refusal is one line."""
    caplog.set_level(logging.WARNING, logger="django.request")
    assert viewer_http.get("/team/").status_code == 403
    assert viewer_http.post("/audit/").status_code in (403, 405)
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert refusals
    assert all(r.exc_info is None for r in refusals)
    assert "Traceback" not in caplog.text
    assert "Forbidden (Permission denied): /team/ (Only admins can do this." in caplog.text


def test_error_reports_show_no_secret_of_the_platform_client(sandbox, team_admin, monkeypatch, caplog):
    """A crash under a view that marks nothing sensitive (the catalog): the report Django mails
    admins shows none of the client's or the HTTP library's variables, which hold our secrets."""
    http_library_breaks(monkeypatch, "/elements")
    browser = Client(raise_request_exception=False)
    browser.force_login(team_admin)
    assert browser.get("/").status_code == 500
    for report in mailed_reports(caplog):
        assert "cloud_elements/client.py" in report  # the client's frames are there, their variables are not
        assert settings.CLOUD_ELEMENTS_USER_SECRET not in report
        assert settings.CLOUD_ELEMENTS_ORG_SECRET not in report
