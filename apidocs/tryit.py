"""Try it out: the form of one operation, its checks, the call it makes, and the answer shown.

The dashboard is not an open proxy. What is sent is only ever an operation the instance's docs
define, looked up here on the server: the method and path come from the docs, never from the form;
the form only fills in parameter values, which are checked before anything is sent.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from cloud_elements import MASK, is_forbidden_header, is_header_name, masked_authorization_header

from .swagger import ApiDocs, Operation, Parameter

ALLOWED_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
NEXT_PAGE_PARAM = "nextPage"
NEXT_PAGE_HEADER = "Elements-Next-Page-Token"
MAX_SHOWN_BODY = 200 * 1024  # the answer's body shown on the page, pretty-printed
FIELD_PREFIX = {"path": "path.", "query": "query.", "header": "header."}
_CONTROL = re.compile(r"[\r\n\x00]")
_ABSOLUTE = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")  # visible ASCII, spaces and tabs


class Refused(Exception):
    """A call the dashboard will not send, with the words to show; nothing was sent."""

    def __init__(self, message: str, *, operation: Operation | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation


def _has_control(value: str) -> bool:
    return bool(_CONTROL.search(value))


def _has_dot_segment(value: str) -> bool:
    return ".." in value


def header_refusal(name: str) -> str:
    """Why Try it out will not send a header of this name (the words to show), or "" if it may.

    Case and surrounding spaces do not matter to the refusal; the name sent must be a token.
    """
    shown = repr(name[:60]) if _has_control(name) else f"“{name.strip()[:60]}”"
    lowered = name.strip().lower()
    if lowered == "authorization":
        return ("Refused: the dashboard adds the Authorization header itself; the docs cannot set it. "
                "Nothing was sent.")
    # The client refuses the same headers (its list is the one list); here they get words.
    if is_forbidden_header(name):
        return (f"Refused: Try it out never sends a {shown} header (it would change where or how "
                "the call goes, or whose credentials it carries). Nothing was sent.")
    if not is_header_name(name):
        return (f"Refused: {shown} is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ "
                "only). Nothing was sent.")
    return ""


# --- the operation -------------------------------------------------------------------------

def operation_for(docs: ApiDocs, data: Mapping[str, str]) -> Operation:
    """The operation the form names, as the docs define it; anything else is refused.

    The form's `method` and `path`, when sent, must be exactly the operation's own.
    """
    key = (data.get("operation") or "").strip()
    method = (data.get("method") or "").strip()
    path = (data.get("path") or "").strip()
    for label, value in (("operation", key), ("method", method), ("path", path)):
        if _has_control(value):
            raise Refused(f"Refused: the {label} contains a line break (CR/LF). Nothing was sent.")
    if path and _ABSOLUTE.match(path):
        raise Refused("Refused: calls go only to the configured Cloud Elements API, "
                      "never to an absolute URL. Nothing was sent.")
    if path and _has_dot_segment(path):
        raise Refused("Refused: a path may not contain “..”. Nothing was sent.")
    if method and method.upper() not in ALLOWED_METHODS:
        raise Refused(f"Refused: the method {method.upper()[:20]} is not allowed; only "
                      f"{', '.join(sorted(ALLOWED_METHODS))} operations of the docs can be sent. "
                      "Nothing was sent.")
    operation = docs.operation(key=key) if key else docs.operation(method=method, path=path)
    if operation is None:
        named = key or f"{method.upper()} {path}".strip() or "(none)"
        raise Refused(f"Refused: “{named[:120]}” is not an operation of this instance’s API docs. "
                      "Only the operations the docs define can be sent. Nothing was sent.")
    if method and method.upper() != operation.method:
        raise Refused(f"Refused: {operation.key} is a {operation.method} operation; the dashboard "
                      f"sends it only as the docs define it, not as {method.upper()}. Nothing was sent.",
                      operation=operation)
    if path and path != operation.path:
        raise Refused(f"Refused: {operation.key} has the path {operation.path}, not {path[:200]}. "
                      "Nothing was sent.", operation=operation)
    return operation


# --- the form ------------------------------------------------------------------------------

@dataclass
class FieldState:
    param: Parameter
    value: str
    error: str = ""

    @property
    def name(self) -> str:
        return FIELD_PREFIX[self.param.location] + self.param.name

    @property
    def placeholder(self) -> str:
        return self.param.default

    @property
    def refusal(self) -> str:
        """Why this header is never sent, for a header parameter the dashboard refuses."""
        return header_refusal(self.param.name) if self.param.location == "header" else ""


@dataclass
class TryItForm:
    operation: Operation
    fields: list[FieldState]
    body: str = ""
    body_error: str = ""
    error: str = ""  # why nothing was sent, for the whole form
    answer: Answer | None = None

    @property
    def valid(self) -> bool:
        return not self.error and not self.body_error and not any(f.error for f in self.fields)

    @property
    def has_body(self) -> bool:
        return self.operation.body is not None


def form_initial(operation: Operation) -> TryItForm:
    """The form as the page first shows it: required parameters at their defaults, the example body."""
    fields = [FieldState(p, p.default if p.required else "") for p in operation.input_parameters]
    for state in fields:
        if state.refusal:
            state.value = ""
    return TryItForm(operation=operation, fields=fields, body=operation.body_example)


def _check_value(param: Parameter, value: str) -> str:
    """The words for what is wrong with one parameter value, or ""."""
    if _has_control(value):
        return "Line breaks (CR/LF) are not allowed in a parameter."
    if param.location == "header" and (value or param.required):
        refusal = header_refusal(param.name)
        if refusal:
            return refusal
    if not value:
        return "Required." if param.required else ""
    if param.location == "path":
        if value in (".", ".."):
            # requests normalises /contacts/. to /contacts/: a DELETE would hit the collection.
            return "“.” and “..” are not allowed as a path parameter: they would change the path."
        if _has_dot_segment(value):
            return "“..” is not allowed in a path parameter."
        if _ABSOLUTE.match(value):
            return "An absolute URL is not allowed in a path parameter."
    if param.location == "header" and len(value) > 4096:
        return "Too long for a header."
    if param.location == "header" and not _HEADER_VALUE.fullmatch(value):
        return "A header value may hold only printable ASCII characters."
    if param.type == "integer" and not re.fullmatch(r"-?\d+", value):
        return "Must be a whole number."
    if param.type == "number":
        try:
            float(value)
        except ValueError:
            return "Must be a number."
    if param.type == "boolean" and value not in ("true", "false"):
        return "Must be true or false."
    if param.enum and value not in param.enum:
        return f"Must be one of: {', '.join(param.enum)}."
    return ""


def form_bound(operation: Operation, data: Mapping[str, str]) -> TryItForm:
    """The form with what was submitted, each value checked at its field."""
    fields = []
    for param in operation.input_parameters:
        state = FieldState(param, "")
        raw = data.get(state.name) or ""
        state.value = raw if _has_control(raw) else raw.strip()
        state.error = _check_value(param, state.value)
        fields.append(state)
    form = TryItForm(operation=operation, fields=fields)
    next_page = data.get(NEXT_PAGE_PARAM) or ""
    if _has_control(next_page) or len(next_page) > 4096:
        form.error = "Refused: the next page token is not valid (line breaks or too long). Nothing was sent."
    if form.has_body:
        form.body = data.get("body") or ""
        if form.body.strip():
            try:
                json.loads(form.body)
            except ValueError as exc:
                form.body_error = f"The body is not valid JSON: {exc}. Nothing was sent."
        elif operation.body is not None and operation.body.required:
            form.body_error = "A JSON body is required. Nothing was sent."
    if not form.valid and not form.error:
        if any(f.refusal and f.error for f in fields):
            form.error = "Refused: a header marked below is one Try it out never sends. Nothing was sent."
        else:
            form.error = "Nothing was sent: fix the fields marked below."
    return form


# --- the call ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PreparedCall:
    operation: Operation
    path: str  # relative to the client's base URL: /hubs/general/users/42
    params: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes | None

    @property
    def method(self) -> str:
        return self.operation.method

    @property
    def label(self) -> str:
        """For the audit log and headings: `GET /hubs/general/users` (no query, it may hold data)."""
        return f"{self.method} {self.path}"


def prepare_call(form: TryItForm, docs: ApiDocs, data: Mapping[str, str]) -> PreparedCall:
    """The call of a valid form: the docs' method and path, path parameters URL-quoted."""
    operation = form.operation
    prefix = docs.call_prefix
    if _ABSOLUTE.match(prefix) or _has_dot_segment(prefix) or _has_control(prefix):
        raise Refused("Refused: the docs' basePath is not a path on the configured API. Nothing was sent.",
                      operation=operation)
    path = operation.path
    for state in form.fields:
        if state.param.location == "path":
            path = path.replace("{" + state.param.name + "}", quote(state.value, safe=""))
    if re.search(r"\{[^}]*\}", path):
        raise Refused(f"Refused: the path {operation.path} has a parameter the docs do not describe. "
                      "Nothing was sent.", operation=operation)
    next_page = (data.get(NEXT_PAGE_PARAM) or "").strip()
    params = [
        (s.param.name, s.value) for s in form.fields
        if s.param.location == "query" and s.value
        # The cursor replaces the page number, and is sent once.
        and not (next_page and s.param.name in ("page", NEXT_PAGE_PARAM))
    ]
    if next_page:
        params.append((NEXT_PAGE_PARAM, next_page))
    headers = [(s.param.name, s.value) for s in form.fields if s.param.location == "header" and s.value]
    for name, _value in headers:  # the fields refuse these already; nothing gets past here either
        refusal = header_refusal(name)
        if refusal:
            raise Refused(refusal, operation=operation)
    body = form.body.encode("utf-8") if form.has_body and form.body.strip() else None
    return PreparedCall(
        operation=operation,
        path=(prefix + ("" if path.startswith("/") else "/") + path) if path else prefix or "/",
        params=tuple(params),
        headers=tuple(headers),
        body=body,
    )


def check_host(url: str, base_url: str) -> None:
    """The call's URL must be under the configured API base: same scheme, host and path prefix."""
    call, base = urlsplit(url), urlsplit(base_url)
    if (call.scheme, call.netloc) != (base.scheme, base.netloc) or not (
        call.path == base.path or call.path.startswith(base.path.rstrip("/") + "/")
    ):
        raise Refused("Refused: calls go only to the configured Cloud Elements API host. Nothing was sent.")


# A body longer than this is not repeated in the curl line: a 2 MB body made a 4 MB page.
MAX_CURL_BODY = 8 * 1024


def curl_line(call: PreparedCall, url: str) -> str:
    """The call as a curl command, every secret masked; a large body is left to a file, with a
    note (a shell comment, so that the line still runs as copied)."""
    parts = ["curl", "-X", call.method, shlex.quote(url),
             "-H", shlex.quote(f"Authorization: {masked_authorization_header(with_element=True)}"),
             "-H", shlex.quote("Accept: application/json")]
    for name, value in call.headers:
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if call.body is None:
        return " ".join(parts)
    parts += ["-H", shlex.quote("Content-Type: application/json")]
    if len(call.body) <= MAX_CURL_BODY:
        return " ".join([*parts, "--data-raw", shlex.quote(call.body.decode("utf-8", errors="replace"))])
    return (" ".join([*parts, "--data-binary", "@body.json"])
            + f"\n# The body ({human_size(len(call.body))}) is too large to repeat here: "
              "save the body you sent as body.json.")


# --- the answer ----------------------------------------------------------------------------

@dataclass
class Answer:
    """What the platform answered, ready to show; or, when it did not answer, why in words."""

    call_label: str
    url: str
    curl: str
    status: int | None = None
    reason: str = ""
    elapsed_ms: float = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    body_size: int = 0
    is_json: bool = False
    cut: bool = False  # the shown body is cut at MAX_SHOWN_BODY
    truncated: bool = False  # the client stopped reading a very large answer
    next_page_token: str = ""
    content_type: str = ""
    failure: str = ""  # no answer: a timeout or an unreachable API
    timed_out: bool = False

    @property
    def status_class(self) -> str:
        if self.status is None:
            return "status-none"
        return f"status-{self.status // 100}xx"

    @property
    def size_label(self) -> str:
        return human_size(self.body_size)

    @property
    def shown_size_label(self) -> str:
        return human_size(MAX_SHOWN_BODY)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes" if size != 1 else "1 byte"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, MASK)
    return text


def answer_from_response(call: PreparedCall, response, *, url: str, curl: str,
                         secrets: tuple[str, ...] = ()) -> Answer:
    """The answer of a call that got one, whatever its status; secrets echoed back are masked."""
    raw = response.body or b""
    text = raw.decode("utf-8", errors="replace")
    is_json = False
    if raw.strip():
        try:
            text = json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
            is_json = True
        except ValueError:
            pass
    text = _scrub(text, secrets)
    cut = len(text.encode("utf-8")) > MAX_SHOWN_BODY
    if cut:
        text = text.encode("utf-8")[:MAX_SHOWN_BODY].decode("utf-8", errors="ignore")
    headers = sorted(
        ((name, _scrub(value, secrets)) for name, value in response.headers.items()),
        key=lambda item: item[0].lower(),
    )
    return Answer(
        call_label=call.label,
        url=url,
        curl=curl,
        status=response.status,
        reason=response.reason,
        elapsed_ms=response.elapsed_ms,
        headers=headers,
        body=text,
        body_size=len(raw),
        is_json=is_json,
        cut=cut,
        truncated=bool(response.truncated),
        next_page_token=response.next_page_token or "",
        content_type=response.content_type,
    )


def answer_from_failure(call: PreparedCall, error, *, url: str, curl: str, timed_out: bool,
                        elapsed_ms: float = 0) -> Answer:
    """No answer: why in words, and how long the dashboard waited before giving up."""
    return Answer(call_label=call.label, url=url, curl=curl, failure=error.message, timed_out=timed_out,
                  elapsed_ms=elapsed_ms)
