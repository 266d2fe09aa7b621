"""Try it out's one write: send a call of the docs as the instance, and audit it."""

from __future__ import annotations

import time

from cloud_elements import CloudElementsError, UpstreamTimeout, get_client
from instances.selectors import Instance
from team.audit import audit_record

from .tryit import (
    Answer,
    PreparedCall,
    Refused,
    answer_from_failure,
    answer_from_response,
    check_host,
    curl_line,
)


def api_call_execute(*, user, instance: Instance, token: str, call: PreparedCall,
                     read_timeout: float | None = None) -> Answer:
    """Send the call with the instance token; any status is an answer, a timeout is said in words.

    Audited as `api.call` with the method, path and outcome; never the token, query or body.
    """
    client = get_client()
    url = client.resource_url(call.path, call.params)
    check_host(url, client.base_url)
    curl = curl_line(call, url)
    started = time.perf_counter()
    try:
        response = client.resource_call(
            token, call.method, call.path, params=list(call.params), body=call.body,
            headers=dict(call.headers), read_timeout=read_timeout,
        )
    except ValueError as exc:  # the client's own last check of the path and headers
        raise Refused(f"Refused: {exc}. Nothing was sent.", operation=call.operation) from None
    except UpstreamTimeout as exc:
        answer = answer_from_failure(call, exc, url=url, curl=curl, timed_out=True,
                                     elapsed_ms=(time.perf_counter() - started) * 1000)
        outcome = "timeout"
    except CloudElementsError as exc:
        answer = answer_from_failure(call, exc, url=url, curl=curl, timed_out=False,
                                     elapsed_ms=(time.perf_counter() - started) * 1000)
        outcome = "no answer"
    else:
        # The client masks our user and organization secrets; the token is masked here too.
        answer = answer_from_response(call, response, url=url, curl=curl, secrets=(token,))
        outcome = str(response.status)
    audit_record(user=user, action="api.call", target=instance.label, detail=f"{call.label} → {outcome}")
    return answer
