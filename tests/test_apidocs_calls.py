"""Try it out sends one upstream call per Execute: the token the docs page read waits on the server
(never in the page) for the admin's next Execute."""

from __future__ import annotations

from django.core.cache import cache

from apidocs.selectors import tryit_cache_key
from sandbox.faults import fault_add
from tests.test_apidocs import HX, docs_url, execute_url, hits

GET_USERS = {"operation": "getUsers", "method": "GET", "path": "/users", "query.pageSize": "5"}


def test_an_execute_after_the_docs_page_is_one_upstream_call(admin_http, mixpanel):
    instance = mixpanel("Product analytics")
    page = admin_http.get(docs_url(instance))
    assert page.status_code == 200
    assert instance["token"] not in page.content.decode()
    counter = fault_add(path_prefix="/")  # no status, no delay: it counts every call
    for expected in (1, 2, 3):
        answer = admin_http.post(execute_url(instance), GET_USERS, headers=HX)
        assert 'id="op-getUsers-status">200 OK<' in answer.content.decode()
        assert instance["token"] not in answer.content.decode()
        assert hits(counter) == expected  # the resource call only


def test_an_execute_long_after_the_docs_page_reads_the_instance_once(admin_http, team_admin, mixpanel):
    instance = mixpanel()
    admin_http.get(docs_url(instance))
    cache.delete(tryit_cache_key(instance_id=instance["id"], user_id=team_admin.pk))  # expired
    counter = fault_add(path_prefix="/")  # no status, no delay: it counts every call
    admin_http.post(execute_url(instance), GET_USERS, headers=HX)
    assert hits(counter) == 2  # the instance with its token, then the call
    admin_http.post(execute_url(instance), GET_USERS, headers=HX)
    assert hits(counter) == 3


def test_the_token_is_kept_per_admin_and_never_for_a_viewer(admin_http, viewer_http, team_admin,
                                                            team_viewer, mixpanel):
    instance = mixpanel()
    viewer_http.get(docs_url(instance))
    assert cache.get(tryit_cache_key(instance_id=instance["id"], user_id=team_viewer.pk)) is None
    admin_http.get(docs_url(instance))
    kept = cache.get(tryit_cache_key(instance_id=instance["id"], user_id=team_admin.pk))
    assert kept is not None and kept[1] == instance["token"]
