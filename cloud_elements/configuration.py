"""Which instance configuration values are secrets: one answer for every page and form; and how
a platform value that means yes or no is read.

Two questions, answered the safe way round:
- `is_secret`: is this field a credential? Forms make it a password input that never renders a
  value. The platform marks credentials with the entry type PASSWORD (and returns stored ones as
  MASK), but many elements declare one as a plain text field (`apim.subscription.key`,
  `authorization.code`, `filemanagement.provider.access_key`, callback headers holding a bearer
  token), so a key with a credential-like word in it is one too.
- `is_shown`: may this value be shown on a page anyone of the team reads? Only when the element's
  metadata declares the field as a kind that holds no secret (a text field, a flag, a choice), its
  key is not credential-like, and the value does not look like one. A key the metadata does not
  describe, a type we do not know, is hidden: admins can still reveal it, audited.
"""

from __future__ import annotations

import re

MASK = "********"  # how the platform returns a stored secret, and how we show any masked value
SECRET_TYPES = frozenset({"PASSWORD"})
# Field kinds that hold plain settings. A TEXTAREA or CODE_EDITOR may hold a private key or a
# script with credentials in it, so they are not on this list.
SHOWN_TYPE_PREFIXES = ("TEXTFIELD", "BOOLEAN", "COMBO", "SELECT", "NUMBER")
# Whole words of a key (split at `.`, `_`, `-` and camelCase) that name a credential or something
# that carries one (a header, a session, an authorization code, a certificate).
CREDENTIAL_WORDS = frozenset({
    "key", "keys", "secret", "secrets", "password", "passwd", "pwd", "passphrase", "pass", "token",
    "tokens", "code", "auth", "authorization", "session", "sessions", "header", "headers",
    "credential", "credentials", "cert", "certificate", "signature", "private", "bearer", "cookie",
    "cookies", "pin", "salt", "hmac", "jks", "keystore", "pem", "otp", "sas", "jwt", "assertion",
    "verifier", "sid",
})
# The same inside a word: `apikey`, `accesskey`, `clientsecret`.
CREDENTIAL_FRAGMENTS = ("secret", "password", "passwd", "passphrase", "token", "apikey", "accesskey",
                        "privatekey", "sessionkey", "credential", "bearer", "signature")
# A value that carries a credential whatever its key says.
_CREDENTIAL_VALUE = re.compile(r"\b(bearer|basic|digest|token)\s+\S|-----BEGIN |\bauthorization\s*:",
                               re.IGNORECASE)
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def key_words(key: str) -> list[str]:
    """`apim.subscription.key` -> apim, subscription, key; `AppID` -> app, id."""
    return [w.lower() for part in re.split(r"[^A-Za-z0-9]+", key) for w in _WORDS.findall(part)]


def is_credential_key(key: str) -> bool:
    squashed = re.sub(r"[^a-z0-9]", "", key.lower())
    return (any(word in CREDENTIAL_WORDS for word in key_words(key))
            or any(fragment in squashed for fragment in CREDENTIAL_FRAGMENTS))


def is_secret(key: str, config_type: str = "") -> bool:
    """A credential field: a password input in forms, never pre-filled."""
    return config_type.upper() in SECRET_TYPES or is_credential_key(key)


def is_shown(key: str, config_type: str, value: object) -> bool:
    """May this value be shown to every member of the team? Unknown means no."""
    kind = config_type.upper()
    if not kind or kind in SECRET_TYPES or not kind.startswith(SHOWN_TYPE_PREFIXES):
        return False
    if is_credential_key(key) or value == MASK:
        return False
    return not (isinstance(value, str) and _CREDENTIAL_VALUE.search(value))


def as_bool(value: object) -> bool:
    """A flag as the platform or a form sends it: a bool, or text such as "true", "1", "yes", "on"."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)
