"""The one HTTP client of the Cloud Elements platform API.

Every call goes through `CloudElementsClient._send`: timeouts taken from the page's time budget
(`budget.py`), retries with backoff for reads only (GET and HEAD) and only while the budget has
time for them, a circuit breaker that fails fast while the platform is down, and the platform's
error JSON turned into our exceptions.
No secret or token is ever put into a log line, an exception message or a repr.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import ijson
import requests
import urllib3
from circuitbreaker import CircuitBreaker
from requests.adapters import HTTPAdapter

from . import answers
from .auth import authorization_header, masked_authorization_header
from .budget import budget_deadline
from .configuration import MASK
from .errors import (
    BudgetSpent,
    CircuitOpen,
    CloudElementsError,
    NotFound,
    UpstreamTimeout,
    UpstreamUnavailable,
    error_for_status,
)

log = logging.getLogger(__name__)

NEXT_PAGE_HEADER = "Elements-Next-Page-Token"
MAX_PAGES = 1000
# Only reads are sent twice. A PUT may carry single-use data (an OAuth `providerData.code`): sent
# again after a gateway timeout it would spend the code twice and report failure for an update
# that happened. A write whose answer never came raises UpstreamTimeout: its outcome is unknown.
RETRY_METHODS = frozenset({"GET", "HEAD"})
RETRY_STATUSES = frozenset({429, 503, 504})
# A retry starts only if at least this much of the budget is left once its backoff is over.
MIN_ATTEMPT_SECONDS = 1.0
# A larger answer to a resource call is cut here, so one call cannot exhaust a worker's memory.
MAX_RESOURCE_BODY_BYTES = 10 * 1024 * 1024


@dataclass
class ResourceResponse:
    """What an element resource call answered, whatever its status."""

    method: str
    url: str
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes
    elapsed_ms: float
    truncated: bool = False
    request_headers: dict[str, str] = field(default_factory=dict)  # masked

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def next_page_token(self) -> str | None:
        return _header(self.headers, NEXT_PAGE_HEADER) or None

    @property
    def content_type(self) -> str:
        return _header(self.headers, "Content-Type") or ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def _is_empty_search(error: CloudElementsError) -> bool:
    """The platform answers an empty list or search with 404 "No … found"."""
    message = (error.message or "").strip().lower()
    return isinstance(error, NotFound) and message.startswith("no ") and "found" in message


class CloudElementsClient:
    def __init__(
        self,
        base_url: str,
        user_secret: str,
        org_secret: str,
        *,
        connect_timeout: float = 3.05,
        read_timeout: float = 20.0,
        retries: int = 2,
        backoff_factor: float = 0.2,
        time_budget: float = 10.0,
        breaker_failures: int = 3,
        breaker_cooldown: float = 30.0,
    ) -> None:
        if not base_url:
            raise ValueError("CLOUD_ELEMENTS_URL is not set")
        if not user_secret or not org_secret:
            raise ValueError(
                "CLOUD_ELEMENTS_USER_SECRET and CLOUD_ELEMENTS_ORG_SECRET must both be set"
            )
        self.base_url = base_url.rstrip("/")
        self._user_secret = user_secret
        self._org_secret = org_secret
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self.backoff_factor = backoff_factor
        self.time_budget = time_budget
        # Per process (each gunicorn worker has its own): after `breaker_failures` calls in a row
        # that timed out or found no platform, calls fail at once for `breaker_cooldown` seconds.
        # circuitbreaker, not pybreaker: pybreaker holds one lock for the whole call, which would
        # make a worker's threads wait on each other's platform calls.
        self._breaker = CircuitBreaker(
            failure_threshold=breaker_failures, recovery_timeout=breaker_cooldown,
            expected_exception=_is_outage, name=f"cloud-elements {urlsplit(self.base_url).netloc}",
        )
        # Retries are ours (`_send`), not urllib3's: its Retry gives every attempt the full
        # timeout and cannot see how much of the page's budget is left.
        self._session = self._make_session()
        self._resource_session = self._make_session()

    @staticmethod
    def _make_session() -> requests.Session:
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update({"Accept": "application/json", "User-Agent": "elements-dashboard"})
        return session

    def __repr__(self) -> str:
        return f"CloudElementsClient(base_url={self.base_url!r})"

    def close(self) -> None:
        """Close the pooled connections (a test's end, a settings change)."""
        self._session.close()
        self._resource_session.close()

    # --- plumbing ------------------------------------------------------------------

    def _auth(self, element_token: str | None = None) -> str:
        return authorization_header(self._user_secret, self._org_secret, element_token)

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def _send(
        self,
        session: requests.Session,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        element_token: str | None = None,
        stream: bool = False,
        read_timeout: float | None = None,
        retries: int | None = None,
    ) -> requests.Response:
        """One call: attempts within the page's budget, reads retried, outages counted."""
        host = urlsplit(self.base_url).netloc
        if self._breaker.opened:
            failures, retry_at = self._breaker.failure_count, self._breaker.open_until
            raise CircuitOpen(
                f"The Cloud Elements API at {host} left {failures} call{'s' if failures != 1 else ''} "
                f"in a row unanswered, so it is not being asked for now: the dashboard tries it again "
                f"at {retry_at:%H:%M:%S} UTC (in {max(self._breaker.open_remaining, 1)} s).",
                retry_at=retry_at, method=method, path=path,
            )
        deadline = budget_deadline(self.time_budget)
        if deadline - time.monotonic() <= 0:
            raise BudgetSpent(
                f"This page has waited for the Cloud Elements API at {host} as long as it may; "
                f"{method} {path.split('?')[0]} was not sent.",
                method=method, path=path,
            )
        if retries is None:
            retries = self.retries if method in RETRY_METHODS else 0
        request_headers = {"Authorization": self._auth(element_token)}
        request_headers.update(headers or {})
        started = time.monotonic()
        attempt = 0
        with self._breaker:
            while True:
                attempt += 1
                remaining = deadline - time.monotonic()
                timeout = (min(self.timeout[0], remaining),
                           min(read_timeout or self.timeout[1], remaining))
                try:
                    response = session.request(
                        method, self._url(path), params=params, json=json, data=data,
                        headers=request_headers, timeout=timeout, allow_redirects=False,
                        stream=stream,
                    )
                except (requests.Timeout, requests.exceptions.ConnectionError) as exc:
                    wait = self.backoff_factor * 2 ** (attempt - 1)
                    if attempt <= retries and self._time_for_retry(deadline, wait):
                        time.sleep(wait)
                        continue
                    raise self._unreachable(exc, method, path, host,
                                            waited=time.monotonic() - started, attempts=attempt) from None
                except requests.RequestException as exc:
                    raise UpstreamUnavailable(
                        f"The request to the Cloud Elements API failed ({type(exc).__name__}).",
                        method=method, path=path,
                    ) from None
                if response.status_code in RETRY_STATUSES and attempt <= retries:
                    wait = _retry_after(response) or self.backoff_factor * 2 ** (attempt - 1)
                    if self._time_for_retry(deadline, wait):
                        response.close()
                        time.sleep(wait)
                        continue
                return response

    @staticmethod
    def _time_for_retry(deadline: float, wait: float) -> bool:
        return deadline - time.monotonic() - wait >= MIN_ATTEMPT_SECONDS

    @staticmethod
    def _unreachable(exc: Exception, method: str, path: str, host: str, *, waited: float,
                     attempts: int) -> UpstreamUnavailable:
        # requests' own messages carry the URL, whose query may hold an OAuth app secret.
        log.warning("Cloud Elements %s %s failed after %d attempt(s): %s", method, path.split("?")[0],
                    attempts, type(exc).__name__)
        # A connect timeout sent nothing: the platform was not reached. Any other timeout came
        # after the request went out: for a write, what happened is not known.
        timed_out = not isinstance(exc, requests.ConnectTimeout) and (
            isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower())
        tries = f" ({attempts} attempts)" if attempts > 1 else ""
        if timed_out:
            return UpstreamTimeout(
                f"The Cloud Elements API at {host} did not answer within {_seconds(waited)} "
                f"seconds{tries}.",
                method=method, path=path,
            )
        return UpstreamUnavailable(
            f"The Cloud Elements API at {host} could not be reached{tries}.",
            method=method, path=path,
        )

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = self._send(self._session, method, path, **kwargs)
        if response.status_code >= 400:
            raise self._error(method, path, response)
        return response

    @staticmethod
    def _error(method: str, path: str, response: requests.Response) -> CloudElementsError:
        body: Any = None
        try:
            body = response.json()
        except ValueError:
            body = None
        message = provider_message = request_id = None
        if isinstance(body, dict):
            message = body.get("message")
            provider_message = body.get("providerMessage")
            request_id = body.get("requestId")
        request_id = request_id or response.headers.get("Elements-Request-Id")
        if not message:
            message = f"The Cloud Elements API answered {response.status_code} {response.reason}."
        log.info("Cloud Elements %s %s answered %s (request %s)", method, path.split("?")[0],
                 response.status_code, request_id)
        return error_for_status(response.status_code)(
            str(message),
            status=response.status_code,
            provider_message=str(provider_message) if provider_message else None,
            request_id=request_id,
            method=method,
            path=path.split("?")[0],
        )

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._request(method, path, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise CloudElementsError(
                "The Cloud Elements API answered with something that is not JSON.",
                status=response.status_code, method=method, path=path,
            ) from None

    def _list(self, path: str, params: Any = None, *, page_size: int | None = None) -> list[Any]:
        """Every item of a list, page after page; an empty search (404 "No … found") is []."""
        return [item for page in self._pages(path, params, page_size=page_size) for item in page]

    def _pages(self, path: str, params: Any = None, *,
               page_size: int | None = None) -> Iterator[list[Any]]:
        """A list's pages, each non-empty, following `Elements-Next-Page-Token`."""
        base_params = list(_pairs(params))
        if page_size:
            base_params.append(("pageSize", str(page_size)))
        next_page: str | None = None
        for _ in range(MAX_PAGES):
            page_params = base_params + ([("nextPage", next_page)] if next_page else [])
            try:
                response = self._request("GET", path, params=page_params)
            except NotFound as exc:
                if _is_empty_search(exc):
                    return
                raise
            page = response.json() if response.content else []
            if not isinstance(page, list):
                raise CloudElementsError(
                    "The Cloud Elements API answered a list call with something else.",
                    status=response.status_code, method="GET", path=path,
                )
            if page:
                yield page
            # A token may lead to an empty page (the platform gives one after any full page), or
            # come back unchanged: either way there is nothing more to read.
            previous, next_page = next_page, response.headers.get(NEXT_PAGE_HEADER)
            if not next_page or not page or next_page == previous:
                return

    def _list_stream(self, path: str) -> Iterator[Any]:
        """Every item of a list, page after page, each parsed as it arrives (ijson), so that
        neither the whole answer nor a list of all its objects is ever held in memory at once."""
        next_page: str | None = None
        for _ in range(MAX_PAGES):
            params = [("nextPage", next_page)] if next_page else None
            try:
                response = self._request("GET", path, params=params, stream=True)
            except NotFound as exc:
                if _is_empty_search(exc):
                    return
                raise
            items = 0
            try:
                response.raw.decode_content = True  # gzip from the platform, undone as it streams
                events = ijson.parse(response.raw, use_float=True)
                first = next(events, None)
                if first is not None and first[1] != "start_array":
                    raise CloudElementsError(
                        "The Cloud Elements API answered a list call with something else.",
                        status=response.status_code, method="GET", path=path,
                    )
                for item in ijson.items(events, "item"):
                    items += 1
                    yield item
            except (ijson.JSONError, requests.RequestException, urllib3.exceptions.HTTPError,
                    OSError) as exc:
                log.warning("Cloud Elements GET %s broke off: %s", path, type(exc).__name__)
                raise UpstreamUnavailable(
                    "The Cloud Elements API stopped answering in the middle of the list, or "
                    "answered something that is not JSON.", method="GET", path=path,
                ) from None
            finally:
                response.close()
            next_page = response.headers.get(NEXT_PAGE_HEADER)
            if not next_page or not items:
                return

    # --- elements --------------------------------------------------------------------

    def element_list(self) -> list[dict]:
        return self._list("/elements")

    def element_stream(self) -> Iterator[dict]:
        """The catalog (`GET /elements`), one element at a time: 10,000 elements are 26 MB of JSON,
        which the caller can project while it is parsed instead of holding it whole."""
        return self._list_stream("/elements")

    def element_keys(self) -> list[str]:
        return self._list("/elements/keys")

    def element_get(self, key_or_id: str | int) -> dict:
        return self._json("GET", f"/elements/{_segment(key_or_id)}")

    def element_docs(self, key_or_id: str | int) -> dict:
        return self._json("GET", f"/elements/{_segment(key_or_id)}/docs")

    def element_oauth_url(
        self,
        key_or_id: str | int,
        *,
        api_key: str,
        api_secret: str,
        callback_url: str,
        state: str,
        scope: str | None = None,
        request_token: str | None = None,
        parameters: Mapping[str, str] | None = None,
    ) -> str:
        """The provider's consent URL. `request_token`: OAuth1's, from `element_oauth_token`;
        `parameters`: the element's own (`oauth_parameters.py`), such as Zendesk's `siteAddress`."""
        params = _oauth_params(api_key, api_secret, callback_url, state, parameters)
        if scope:
            params["scope"] = scope
        if request_token:
            params["requestToken"] = request_token
        answer = self._json("GET", f"/elements/{_segment(key_or_id)}/oauth/url", params=params)
        url = (answer or {}).get("oauthUrl")
        if not url:
            raise CloudElementsError("The Cloud Elements API gave no OAuth URL for this element.")
        return url

    def element_oauth_token(
        self,
        key_or_id: str | int,
        *,
        api_key: str,
        api_secret: str,
        callback_url: str,
        state: str,
        parameters: Mapping[str, str] | None = None,
    ) -> tuple[str, str]:
        """OAuth1's first step: a request token and its secret (`{"token", "secret"}`).

        Documented in devportal `docs/platform-api/elements/index.md` (`GET
        /elements/{key}/oauth/token`) and `docs/elements/twitter/twitter-create-instance.md`."""
        params = _oauth_params(api_key, api_secret, callback_url, state, parameters)
        answer = self._json("GET", f"/elements/{_segment(key_or_id)}/oauth/token", params=params)
        token = (answer or {}).get("token")
        secret = (answer or {}).get("secret")
        if not token or not secret:
            raise CloudElementsError("The Cloud Elements API gave no OAuth request token for this element.")
        return str(token), str(secret)

    def element_instances(self, key_or_id: str | int) -> list[dict]:
        return self._list(f"/elements/{_segment(key_or_id)}/instances")

    # --- instances -------------------------------------------------------------------

    def instance_create(
        self,
        *,
        element_key: str,
        name: str,
        configuration: Mapping[str, Any],
        tags: Iterable[str] = (),
        provider_data: Mapping[str, Any] | None = None,
    ) -> dict:
        body = _instance_body(element_key, name, configuration, tags, provider_data)
        return self._json("POST", "/instances", json=body)

    def instance_list(
        self, *, tags: Iterable[str] = (), search_text: str | None = None,
        page_size: int | None = None,
    ) -> list[dict]:
        params: list[tuple[str, str]] = [("tags[]", tag) for tag in tags]
        if search_text:
            params.append(("searchText", search_text))
        return self._list("/instances", params, page_size=page_size)

    def instance_pages(self, *, page_size: int) -> Iterator[list[dict]]:
        """`GET /instances` page by page (platform_check shows how paging went)."""
        return self._pages("/instances", page_size=page_size)

    def instance_get(self, instance_id: int | str) -> dict:
        return self._json("GET", f"/instances/{_segment(instance_id)}")

    def instance_update(
        self, instance_id: int | str, *, name: str | None = None,
        tags: Iterable[str] | None = None,
    ) -> dict:
        """PATCH: name and tags only (tags replace the whole list), no re-authentication."""
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if tags is not None:
            body["tags"] = list(tags)
        return self._json("PATCH", f"/instances/{_segment(instance_id)}", json=body)

    def instance_reauthenticate(
        self,
        instance_id: int | str,
        *,
        element_key: str,
        name: str,
        configuration: Mapping[str, Any],
        tags: Iterable[str] = (),
        provider_data: Mapping[str, Any] | None = None,
    ) -> dict:
        """PUT: the whole instance again, configuration included; the provider re-checks it."""
        body = _instance_body(element_key, name, configuration, tags, provider_data)
        return self._json("PUT", f"/instances/{_segment(instance_id)}", json=body)

    def instance_delete(self, instance_id: int | str) -> None:
        self._request("DELETE", f"/instances/{_segment(instance_id)}")

    def instance_enable(self, element_token: str) -> None:
        """`PUT /instances/enabled` as the instance: its Element token says which one."""
        self._request("PUT", "/instances/enabled", element_token=element_token)

    def instance_disable(self, element_token: str) -> None:
        """`DELETE /instances/enabled` as the instance: its token is refused (403) until enabled."""
        self._request("DELETE", "/instances/enabled", element_token=element_token)

    def instance_configuration(self, instance_id: int | str) -> list[dict]:
        return self._list(f"/instances/{_segment(instance_id)}/configuration")

    def instance_docs(self, instance_id: int | str) -> dict:
        return self._json("GET", f"/instances/{_segment(instance_id)}/docs")

    # --- element resources, with an instance token --------------------------------------

    def resource_call(
        self,
        element_token: str,
        method: str,
        path: str,
        *,
        params: Iterable[tuple[str, str]] | Mapping[str, str] | None = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        read_timeout: float | None = None,
    ) -> ResourceResponse:
        """Call `/hubs/<hub>/<resource>…` as the instance; any status is an answer, not an error.

        Only a failure to reach the platform raises (UpstreamUnavailable, UpstreamTimeout).
        """
        method = method.upper()
        if not path.startswith("/") or "://" in path or ".." in path.split("?")[0]:
            raise ValueError("A resource path is relative to the API base and has no '..'")
        for name, value in (headers or {}).items():
            _check_header(name, value)
        request_headers = {"Accept": "application/json"}
        if body is not None:
            request_headers["Content-Type"] = "application/json"
        request_headers.update(headers or {})
        started = time.perf_counter()
        # One attempt, whatever the method: Try it out shows exactly what the platform answered.
        response = self._send(
            self._resource_session, method, path, params=list(_pairs(params)), data=body,
            headers=request_headers, element_token=element_token, stream=True,
            read_timeout=read_timeout, retries=0,
        )
        try:
            chunks: list[bytes] = []
            size = 0
            truncated = False
            for chunk in response.iter_content(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_RESOURCE_BODY_BYTES:
                    truncated = True
                    break
        except requests.RequestException:
            raise UpstreamTimeout(
                "The Cloud Elements API stopped answering in the middle of the response.",
                method=method, path=path,
            ) from None
        finally:
            response.close()
        elapsed_ms = (time.perf_counter() - started) * 1000
        shown_headers = dict(request_headers)
        shown_headers["Authorization"] = masked_authorization_header(with_element=True)
        # Whatever the provider echoes back, our own secrets are not part of the answer we show.
        secrets = [s for s in (self._user_secret, self._org_secret, element_token) if len(s) >= 4]
        return ResourceResponse(
            method=method,
            url=response.url,
            status=response.status_code,
            reason=response.reason or "",
            headers={k: _scrub_text(v, secrets) for k, v in response.headers.items()},
            body=_scrub_bytes(b"".join(chunks)[:MAX_RESOURCE_BODY_BYTES], secrets),
            elapsed_ms=elapsed_ms,
            truncated=truncated,
            request_headers=shown_headers,
        )

    def image_url(self, image: Any) -> str:
        """An element's logo as a URL: its relative `image` path resolved on the platform's host."""
        return answers.image_url(image, answers.host_root(self.base_url))

    def resource_url(self, path: str, params: Iterable[tuple[str, str]] | None = None) -> str:
        query = urlencode(list(params or []))
        return self._url(path) + (f"?{query}" if query else "")


# Headers a caller may not set on a resource call: they would change where the call goes, how it
# is framed, or whose credentials it carries.
FORBIDDEN_HEADERS = frozenset({
    "host", "authorization", "content-length", "transfer-encoding", "connection", "keep-alive",
    "te", "trailer", "upgrade", "expect", "cookie", "forwarded",
})
FORBIDDEN_HEADER_PREFIXES = ("proxy-", "x-forwarded-")
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 7230 token


def is_forbidden_header(name: str) -> bool:
    lowered = name.strip().lower()
    return lowered in FORBIDDEN_HEADERS or lowered.startswith(FORBIDDEN_HEADER_PREFIXES)


def is_header_name(name: str) -> bool:
    return bool(HEADER_NAME.fullmatch(name))


def _check_header(name: str, value: str) -> None:
    if not is_header_name(name) or is_forbidden_header(name):
        raise ValueError(f"The header {name!r} cannot be set on a resource call")
    if "\r" in value or "\n" in value:
        raise ValueError(f"The header {name!r} has a line break in its value")


def _scrub_text(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def _scrub_bytes(data: bytes, secrets: list[str]) -> bytes:
    for secret in secrets:
        data = data.replace(secret.encode(), MASK.encode())
    return data


def _is_outage(exc_type: type[BaseException], exc: BaseException) -> bool:
    """What the circuit breaker counts: no answer at all. An error answer is the platform working."""
    return issubclass(exc_type, UpstreamUnavailable) and not issubclass(exc_type, BudgetSpent | CircuitOpen)


def _retry_after(response: requests.Response) -> float | None:
    """Retry-After in seconds (the HTTP-date form is not used by the platform)."""
    try:
        return max(float(response.headers.get("Retry-After", "")), 0.0)
    except ValueError:
        return None


def _seconds(value: float) -> str:
    """9.96 → "10", 0.52 → "0.5": the wait as a person reads it."""
    return f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:.0f}"


def _segment(value: str | int) -> str:
    return quote(str(value), safe="")


def _oauth_params(api_key: str, api_secret: str, callback_url: str, state: str,
                  parameters: Mapping[str, str] | None) -> dict[str, str]:
    """The app's part of the OAuth calls, after the element's own parameters (which cannot
    override it)."""
    return {**(parameters or {}), "apiKey": api_key, "apiSecret": api_secret,
            "callbackUrl": callback_url, "state": state}


def _pairs(params: Any) -> Iterable[tuple[str, str]]:
    if not params:
        return []
    if isinstance(params, Mapping):
        return [(str(k), str(v)) for k, v in params.items()]
    return [(str(k), str(v)) for k, v in params]


def _instance_body(
    element_key: str,
    name: str,
    configuration: Mapping[str, Any],
    tags: Iterable[str],
    provider_data: Mapping[str, Any] | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "element": {"key": element_key},
        "configuration": dict(configuration),
        "tags": list(tags),
        "name": name,
    }
    if provider_data:
        body["providerData"] = dict(provider_data)
    return body
