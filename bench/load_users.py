"""What one dashboard user does, for locust (bench/bench_load.py runs it; it is not run by hand).

An admin, logged in, who mixes pages as people use them, with 1-3 s of thinking between
actions (BENCH_THINK=0: none): the catalog, a search typed a letter at a time (the htmx results
partial, one request per keystroke as the page's 250 ms debounce sends them), Show more, the
instance list, an instance's page, an element's instances, API Docs and Try it out. The dashboard's
404 page is the baseline, asked now and then in the same mix.
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, constant, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INSTANCE = re.compile(r'href="/instances/(\d+)/"')
SEARCHES = ("sales", "mixpanel", "gen 1", "zendesk", "crm")
RESULTS = {"HX-Request": "true", "HX-Target": "catalog-results"}
MORE = {"HX-Request": "true", "HX-Target": "catalog-more"}
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


class DashboardUser(HttpUser):
    wait_time = constant(0) if os.environ.get("BENCH_THINK") == "0" else between(1, 3)

    def on_start(self) -> None:
        # Logged in already: bench_load.py logs in once and hands every user that session, so the
        # run measures pages, not 50 password hashes at once.
        self.client.headers.update(BROWSER)
        self.client.cookies.set("sessionid", os.environ["BENCH_SESSION"])
        self.client.cookies.set("csrftoken", os.environ["BENCH_CSRF"])
        listing = self.client.get("/instances/", name="/instances/")
        self.instances = sorted(set(INSTANCE.findall(listing.text))) or ["1"]
        self.mixpanel = None

    @task(3)
    def catalog(self) -> None:
        self.client.get("/", name="catalog /")

    @task(3)
    def search_as_you_type(self) -> None:
        word = random.choice(SEARCHES)
        for end in range(1, len(word) + 1):
            self.client.get("/", params={"q": word[:end]}, headers=RESULTS, name="search keystroke (partial)")

    @task(1)
    def show_more(self) -> None:
        self.client.get("/", params={"page": "2"}, headers=MORE, name="show more (partial)")

    @task(2)
    def instance_list(self) -> None:
        self.client.get("/instances/", name="/instances/")

    @task(2)
    def instance_page(self) -> None:
        self.client.get(f"/instances/{random.choice(self.instances)}/", name="/instances/[id]/")

    @task(1)
    def element_instances(self) -> None:
        self.client.get("/elements/mixpanel/instances/", name="/elements/[key]/instances/")

    @task(1)
    def api_docs_and_try_it_out(self) -> None:
        instance = self._mixpanel_instance()
        docs = self.client.get(f"/instances/{instance}/docs/", name="API Docs /instances/[id]/docs/")
        token = CSRF.search(docs.text)
        if token is None:
            return
        self.client.post(
            f"/instances/{instance}/docs/execute/", name="Try it out (execute)",
            data={"operation": "getUsers", "method": "GET", "path": "/users", "query.pageSize": "5",
                  "csrfmiddlewaretoken": token.group(1)},
            headers={"HX-Request": "true", "HX-Target": "op-getUsers-tryit",
                     "Referer": f"{self.host}/instances/{instance}/docs/"},
        )

    @task(2)
    def baseline(self) -> None:
        with self.client.get("/no-such-page/", name="baseline: 404 page", catch_response=True) as answer:
            if answer.status_code == 404:
                answer.success()

    def _mixpanel_instance(self) -> str:
        if self.mixpanel is None:
            page = self.client.get("/elements/mixpanel/instances/", name="/elements/[key]/instances/")
            found = INSTANCE.findall(page.text)
            self.mixpanel = found[0] if found else self.instances[0]
        return self.mixpanel
