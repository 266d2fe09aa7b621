"""The catalog read as a stream: the same elements as the whole answer, and a broken answer is an
error of ours, never a half catalog."""

from __future__ import annotations

import socket
import threading

import pytest

from cloud_elements import CloudElementsClient, CloudElementsError, UpstreamUnavailable


def test_the_stream_is_the_whole_catalog(client_api):
    streamed = list(client_api.element_stream())
    assert len(streamed) == 195
    assert streamed == client_api.element_list()


def serve_once(body: bytes, *, length: int) -> tuple[str, threading.Thread]:
    """A platform that answers one request with this body and then hangs up."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def answer():
        connection, _ = server.accept()
        with connection, server:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               b"Content-Length: %d\r\n\r\n%s" % (length, body))

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{port}/elements/api-v2", thread


@pytest.mark.parametrize("body, length", [
    (b'[{"key": "a", "name": "A"}, {"key": "b", "na', 4000),  # cut off in the middle
    (b'[{"key": "a"}, nonsense]', 24),  # not JSON
])
def test_a_broken_answer_is_unavailable_not_a_short_catalog(body, length):
    url, thread = serve_once(body, length=length)
    client = CloudElementsClient(url, "u-secret", "o-secret", retries=0, read_timeout=5)
    with pytest.raises(UpstreamUnavailable):
        list(client.element_stream())
    thread.join(5)


def test_an_answer_that_is_not_a_list_says_so():
    url, thread = serve_once(b'{"elements": []}', length=16)
    client = CloudElementsClient(url, "u-secret", "o-secret", retries=0, read_timeout=5)
    with pytest.raises(CloudElementsError, match="something else"):
        list(client.element_stream())
    thread.join(5)
