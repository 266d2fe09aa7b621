"""Which instance configuration values are secrets: one answer for every page and form; and how
a platform value that means yes or no is read.

The platform marks credentials with the entry type PASSWORD, and returns stored ones as MASK.
Some elements declare a credential as a plain text field (an API key, a private key, a webhook
signature key), so a key that names one is treated as a secret too: better hidden than shown.
"""

from __future__ import annotations

MASK = "********"  # how the platform returns a stored secret, and how we show any masked value
SECRET_TYPES = frozenset({"PASSWORD"})
SECRET_WORDS = ("secret", "password", "passphrase", "token", "apikey", "api.key", "api_key",
                "private.key", "private_key", "signature.key")


def is_secret(key: str, config_type: str = "") -> bool:
    lowered = key.lower()
    return config_type.upper() in SECRET_TYPES or any(word in lowered for word in SECRET_WORDS)


def as_bool(value: object) -> bool:
    """A flag as the platform or a form sends it: a bool, or text such as "true", "1", "yes", "on"."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)
