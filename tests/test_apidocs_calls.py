"""Try it out sends one upstream call per Execute: the token the docs page read waits on the server
(never in the page) for the admin's next Execute."""

from __future__ import annotations

from django.core.cache import cache

from apidocs.selectors import tryit_cache_key
from sandbox.faults import fault_add
from sandbox.models import Fault
from tests.test_apidocs import HX, docs_url, execute_url

GET_USERS = {"operation": "getUsers", "method": "GET", "path": "/users", "query.pageSize": "5"}


def every_call():
    """A switch on every path, with no status and no delay: it only counts calls at the sandbox."""
    return fault_add(path_prefix="/")


def calls(fault) -> int:
    return Fault.objects.get(pk=fault.pk).hits


def test_an_execute_after_the_docs_page_is_one_upstream_call(admin_http, mixpanel):
    instance = mixpanel("Product analytics")
    page = admin_http.get(docs_url(instance))
    assert page.status_code == 200
    assert instance["token"] not in page.content.decode()
    counter = every_call()
    for expected in (1, 2, 3):
        answer = admin_http.post(execute_url(instance), GET_USERS, headers=HX)
        assert 'id="op-getUsers-status">200 OK<' in answer.content.decode()
        assert instance["token"] not in answer.content.decode()
        assert calls(counter) == expected  # the resource call only


def test_an_execute_long_after_the_docs_page_reads_the_instance_once(admin_http, team_admin, mixpanel):
    instance = mixpanel()
    admin_http.get(docs_url(instance))
    cache.delete(tryit_cache_key(instance_id=instance["id"], user_id=team_admin.pk))  # expired
    counter = every_call()
    admin_http.post(execute_url(instance), GET_USERS, headers=HX)
    assert calls(counter) == 2  # the instance with its token, then the call
    admin_http.post(execute_url(instance), GET_USERS, headers=HX)
    assert calls(counter) == 3


def test_the_token_is_kept_per_admin_and_never_for_a_viewer(admin_http, viewer_http, team_admin,
                                                            team_viewer, mixpanel):
    instance = mixpanel()
    viewer_http.get(docs_url(instance))
    assert cache.get(tryit_cache_key(instance_id=instance["id"], user_id=team_viewer.pk)) is None
    admin_http.get(docs_url(instance))
    kept = cache.get(tryit_cache_key(instance_id=instance["id"], user_id=team_admin.pk))
    assert kept is not None and kept[1] == instance["token"]
