"""Exceptions for everything that can go wrong talking to the platform API.

Messages carry what the platform said (its `message` and `providerMessage`), never a secret.
"""

from __future__ import annotations

from datetime import datetime


class CloudElementsError(Exception):
    """The platform answered with an error status, or could not be reached."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        provider_message: str | None = None,
        request_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.provider_message = provider_message
        self.request_id = request_id
        self.method = method
        self.path = path

    def __str__(self) -> str:
        text = self.message
        if self.provider_message and self.provider_message not in text:
            text = f"{text} (provider: {self.provider_message})"
        if self.status:
            text = f"{self.status}: {text}"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, message={self.message!r}, "
            f"provider_message={self.provider_message!r}, request_id={self.request_id!r})"
        )

    @property
    def user_message(self) -> str:
        """What to show a person: the platform's words, and the provider's when it spoke."""
        if self.provider_message and self.provider_message != self.message:
            return f"{self.message} — the provider said: {self.provider_message}"
        return self.message


class BadRequest(CloudElementsError):
    """400: a missing or invalid field; the message names it."""


class Unauthorized(CloudElementsError):
    """401: wrong or missing secrets, or an unknown or deleted instance token."""


class Forbidden(CloudElementsError):
    """403: e.g. a disabled instance's token."""


class NotFound(CloudElementsError):
    """404."""


class Conflict(CloudElementsError):
    """409."""


class ProviderError(CloudElementsError):
    """502: the vendor behind the element refused or failed."""


class ServerError(CloudElementsError):
    """Any other 5xx."""


class UpstreamUnavailable(CloudElementsError):
    """The platform could not be reached: connection refused, DNS, TLS, or a reset."""


class UpstreamTimeout(UpstreamUnavailable):
    """The platform did not answer in time. For a write, the request was sent: its outcome is unknown."""


class BudgetSpent(UpstreamUnavailable):
    """The page's time budget ran out before this call: nothing was sent."""


class CircuitOpen(UpstreamUnavailable):
    """The platform failed to answer several times in a row: nothing is sent until `retry_at`."""

    def __init__(self, message: str, *, retry_at: datetime, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_at = retry_at


STATUS_ERRORS: dict[int, type[CloudElementsError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    502: ProviderError,
}


def error_for_status(status: int) -> type[CloudElementsError]:
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    if status >= 500:
        return ServerError
    return CloudElementsError
