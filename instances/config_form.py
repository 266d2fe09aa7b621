"""Forms built from an element's configuration metadata, for Authenticate and Re-Authenticate.

An element says what an instance needs in its `configuration` entries (key, name, type, required,
defaultValue, options, displayOrder, hideFromConsole). `InstanceConfigForm` turns those into
fields, keeps the events keys (`event.*`) in a fieldset of their own, and turns what was typed back
into the platform's configuration keys. Secret fields are password inputs that never render a
value; on Re-Authenticate a stored secret named in `require_secrets` must be typed again (Edit
names them all: README, "Real platform"), and the mask itself is never accepted as a value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms

from cloud_elements import MASK, OAuthParameter, as_bool, element_auth_type, is_secret, oauth_url_parameters

OAUTH_CALLBACK_KEY = "oauth.callback.url"
OAUTH_API_KEY = "oauth.api.key"
OAUTH_API_SECRET = "oauth.api.secret"
OAUTH_SCOPE = "oauth.scope"
# OAuth1's access token and its secret come out of the round trip: nobody types them.
OAUTH1_EXCHANGED_KEYS = frozenset({"oauth.user.token", "oauth.user.token.secret"})
# A field for an element's OAuth URL parameter that has no configuration entry of its own.
OAUTH_PARAMETER_PREFIX = "oauth_url__"

EVENTS_ENABLED = "event.notification.enabled"
EVENTS_TYPE = "event.vendor.type"
EVENTS_CALLBACK = "event.notification.callback.url"
EVENTS_INTERVAL = "event.poller.refresh_interval"
EVENTS_POLLER = "event.poller.configuration"
EVENTS_SIGNATURE = "event.notification.signature.key"
EVENT_KEYS = (EVENTS_ENABLED, EVENTS_TYPE, EVENTS_CALLBACK, EVENTS_INTERVAL, EVENTS_POLLER,
              EVENTS_SIGNATURE)

# Our own fields; a configuration key with one of these names gets a prefixed field name.
RESERVED_NAMES = frozenset({"name", "tags", "section", "csrfmiddlewaretoken", "next"})
TEXTFIELD_LENGTH = re.compile(r"^TEXTFIELD_(\d+)$")


@dataclass(frozen=True)
class ConfigEntry:
    """One configuration entry an admin fills in, as the element describes it."""

    key: str
    label: str
    help: str = ""
    type: str = "TEXTFIELD_128"
    required: bool = False
    default: str = ""
    options: tuple[tuple[str, str], ...] = field(default=())
    order: int = 0

    @property
    def secret(self) -> bool:
        return is_secret(self.key, self.type)

    @property
    def is_event(self) -> bool:
        return self.key.startswith("event.")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def config_entries(element: Mapping[str, Any]) -> list[ConfigEntry]:
    """The entries a person sees, in display order; hidden and internal ones are left out."""
    entries = []
    raw_entries = element.get("configuration") or []
    for index, raw in enumerate(raw_entries):
        key = _text(raw.get("key")).strip()
        if not key or raw.get("hideFromConsole") or raw.get("internal") or raw.get("active") is False:
            continue
        options = tuple(
            (_text(o.get("value")), _text(o.get("description") or o.get("value")))
            for o in raw.get("options") or () if isinstance(o, Mapping)
        )
        order = raw.get("displayOrder")
        entries.append(ConfigEntry(
            key=key,
            label=_text(raw.get("name")).strip() or key,
            help=_text(raw.get("description")).strip(),
            type=_text(raw.get("type")).upper() or "TEXTFIELD_128",
            required=bool(raw.get("required")),
            default=_text(raw.get("defaultValue")),
            options=options,
            # Entries without an order keep the order the element lists them in, after the rest.
            order=order if isinstance(order, int) else 10_000 + index,
        ))
    return sorted(entries, key=lambda e: e.order)


def is_oauth2(element: Mapping[str, Any]) -> bool:
    return element_auth_type(element) == "oauth2"


def is_oauth1(element: Mapping[str, Any]) -> bool:
    return element_auth_type(element) == "oauth1"


def is_oauth(element: Mapping[str, Any]) -> bool:
    """Authenticated through the provider's consent page, OAuth 1 or 2."""
    return is_oauth1(element) or is_oauth2(element)


def tags_parse(text: str) -> list[str]:
    """"prod, eu ,prod" -> ["prod", "eu"]: trimmed, no empties, no repeats, order kept."""
    tags: list[str] = []
    for part in (text or "").split(","):
        tag = part.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


class InstanceIdentityForm(forms.Form):
    """Name and tags: part of Authenticate, and all of Edit's "Update name and tags"."""

    # Errors are shown by the server at each field, the same with JavaScript on or off.
    use_required_attribute = False

    name = forms.CharField(
        label="Name", max_length=200,
        help_text="How this instance is listed, e.g. “Analytics EU (production)”.",
    )
    tags = forms.CharField(
        label="Tags", max_length=500, required=False,
        help_text="Comma-separated, e.g. prod, eu. Used to find and filter instances.",
    )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            # The browser puts the cursor (and the view) on the first field to fix, with htmx too.
            first = next((name for name in self.fields if name in self.errors), None)
            if first:
                self.fields[first].widget.attrs["autofocus"] = True
        return valid

    def clean_tags(self) -> list[str]:
        tags = tags_parse(self.cleaned_data.get("tags") or "")
        if any(len(tag) > 100 for tag in tags):
            raise forms.ValidationError("A tag can be at most 100 characters long.")
        return tags


class InstanceConfigForm(InstanceIdentityForm):
    """Configuration (and events) of one element, built from its metadata.

    `stored` (Re-Authenticate) holds the instance's current values, a secret as MASK: other values
    prefill their inputs; a stored secret may be left blank to leave it out of the PUT unless it
    is in `require_secrets`, which makes it required again. `with_identity=False` drops
    the name and tags fields (Re-Authenticate sends the instance's own).
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        element: Mapping[str, Any],
        callback_url: str,
        stored: Mapping[str, str] | None = None,
        with_identity: bool = True,
        require_secrets: frozenset[str] = frozenset(),
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=dict(initial or {}))
        self.element = element
        self.callback_url = callback_url
        self.stored = dict(stored or {})
        self.reauthenticate = stored is not None
        self.require_secrets = require_secrets
        self.entries = config_entries(element)
        self.events_supported = any(e.key == EVENTS_ENABLED for e in self.entries)
        self._keys: dict[str, str] = {}  # field name -> configuration key
        self._url_parameters: dict[str, str] = {}  # OAuth URL parameter -> field name
        if not with_identity:
            del self.fields["name"]
            del self.fields["tags"]
        for entry in self.entries:
            # Event keys live in the Events fieldset; without events, only a required one is asked.
            if entry.is_event and (self.events_supported or not entry.required):
                continue
            if is_oauth1(element) and entry.key in OAUTH1_EXCHANGED_KEYS:
                continue
            self._add(entry, self._field_for(entry))
        if is_oauth(element):
            for parameter in oauth_url_parameters(_text(element.get("key"))):
                self._add_url_parameter(parameter)
        if self.events_supported:
            self._add_event_fields()

    # --- building ----------------------------------------------------------------------

    def field_name(self, key: str) -> str:
        return f"config__{key}" if key in RESERVED_NAMES else key

    def _stored_secret(self, key: str) -> bool:
        return self.stored.get(key) == MASK

    def _initial_for(self, entry: ConfigEntry) -> Any:
        if self.reauthenticate and entry.key in self.stored:
            value = self.stored[entry.key]
            if value == MASK:
                return ""
            return as_bool(value) if entry.type == "BOOLEAN" else value
        if entry.type == "BOOLEAN":
            return as_bool(entry.default)
        return entry.default

    def _keeps_stored(self, entry: ConfigEntry) -> bool:
        """A stored secret left blank is kept, unless this form must send it again."""
        return self._stored_secret(entry.key) and entry.key not in self.require_secrets

    def _add(self, entry: ConfigEntry, form_field: forms.Field) -> None:
        name = self.field_name(entry.key)
        secret = entry.secret or self._stored_secret(entry.key)
        if secret and not isinstance(form_field.widget, forms.PasswordInput):
            form_field.widget = forms.PasswordInput(render_value=False)
        form_field.config_key = entry.key
        form_field.secret = secret
        form_field.keeps_stored = secret and self._keeps_stored(entry)
        if form_field.keeps_stored:
            form_field.required = False
            form_field.widget.attrs["placeholder"] = "•••••••• (stored)"
        elif secret and self._stored_secret(entry.key):
            # Asked for again: the platform has one, but the form must send it.
            form_field.required = True
            form_field.widget.attrs["placeholder"] = "Type it again"
        form_field.event = entry.is_event
        form_field.event_mode = _event_mode(entry.key) if entry.is_event and self.events_supported else ""
        form_field.kind = _kind(form_field)
        if entry.key == OAUTH_CALLBACK_KEY:
            self.initial[name] = self.callback_url  # ours, whatever was stored or typed
        elif name not in self.initial and not secret:
            self.initial[name] = self._initial_for(entry)
        attrs = form_field.widget.attrs
        attrs.setdefault("autocomplete", "new-password" if secret else "off")
        attrs.setdefault("spellcheck", "false")
        if form_field.required:
            attrs["aria-required"] = "true"
        self.fields[name] = form_field
        self._keys[name] = entry.key

    def _add_url_parameter(self, parameter: OAuthParameter) -> None:
        """An element's own OAuth URL parameter (Zendesk's subdomain…): its configuration entry's
        field, required as the consent URL needs it; or a field of its own when it has none."""
        key = parameter.configuration_key
        name = self.field_name(key) if key else None
        if name not in self.fields:
            name = f"{OAUTH_PARAMETER_PREFIX}{parameter.query}"
            form_field = forms.CharField(label=parameter.label, max_length=1000)
            form_field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
            form_field.config_key = parameter.query
            form_field.secret = form_field.keeps_stored = form_field.event = False
            form_field.event_mode = ""
            form_field.kind = "text"
            self.fields[name] = form_field
        form_field = self.fields[name]
        form_field.required = parameter.required
        if parameter.required:
            form_field.widget.attrs["aria-required"] = "true"
        form_field.help_text = parameter.help  # what to type, from the element's documentation
        self._url_parameters[parameter.query] = name

    def _field_for(self, entry: ConfigEntry) -> forms.Field:
        common = {"label": entry.label, "help_text": entry.help,
                  "required": entry.required and not (entry.secret and self._keeps_stored(entry))}
        if entry.key == OAUTH_CALLBACK_KEY:
            return forms.CharField(
                label=entry.label, required=False, disabled=True,
                help_text="Ours, filled in for you: register it as your app's redirect URL at the provider.",
                widget=forms.TextInput(attrs={"readonly": True}),
            )
        if entry.secret or self._stored_secret(entry.key):
            match = TEXTFIELD_LENGTH.match(entry.type)
            return forms.CharField(max_length=int(match.group(1)) if match else None,
                                   widget=forms.PasswordInput(render_value=False), **common)
        if entry.type == "BOOLEAN":
            # A required checkbox would mean "must be ticked"; the platform only needs a value.
            return forms.BooleanField(label=entry.label, help_text=entry.help, required=False)
        if entry.type == "COMBO" and entry.options:
            choices = list(entry.options)
            if not entry.required or not entry.default:
                choices.insert(0, ("", "— choose —"))
            return forms.ChoiceField(choices=choices, **common)
        if entry.type in ("TEXTAREA", "CODE_EDITOR"):
            rows = 8 if entry.type == "CODE_EDITOR" else 4
            return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), strip=False, **common)
        match = TEXTFIELD_LENGTH.match(entry.type)
        max_length = int(match.group(1)) if match else None
        return forms.CharField(max_length=max_length, **common)

    def _add_event_fields(self) -> None:
        given = {e.key: e for e in self.entries if e.is_event}

        def entry(key: str, label: str, help_text: str, type_: str = "TEXTFIELD_1000") -> ConfigEntry:
            found = given.get(key)
            return ConfigEntry(key=key, label=label, help=found.help if found and found.help else help_text,
                               type=found.type if found and found.type == "PASSWORD" else type_,
                               default=found.default if found else "", order=found.order if found else 0)

        enabled = entry(EVENTS_ENABLED, "Enable events",
                        "The platform tells your app when something changes at the provider.", "BOOLEAN")
        self._add(enabled, forms.BooleanField(label=enabled.label, help_text=enabled.help, required=False))

        default_type = (given[EVENTS_TYPE].default if EVENTS_TYPE in given else "") or (
            "polling" if any(k.startswith("event.poller.") for k in given) else "webhook")
        vendor = entry(EVENTS_TYPE, "Event type",
                       "Polling: the platform asks the provider for changes every few minutes. "
                       "Webhook: the provider tells the platform as they happen.", "COMBO")
        vendor = ConfigEntry(key=vendor.key, label=vendor.label, help=vendor.help, type="COMBO",
                             default=default_type.lower() if default_type.lower() in ("polling", "webhook")
                             else "webhook")
        self._add(vendor, forms.ChoiceField(
            label=vendor.label, help_text=vendor.help, required=False,
            choices=[("polling", "Polling"), ("webhook", "Webhook")],
            widget=forms.RadioSelect,
        ))

        callback = entry(EVENTS_CALLBACK, "Callback URL", "Where the platform sends events: your app's URL.")
        self._add(callback, forms.URLField(label=callback.label, help_text=callback.help, required=False,
                                           max_length=1000, assume_scheme="https",
                                           widget=forms.URLInput(attrs={"placeholder": "https://"})))

        interval = entry(EVENTS_INTERVAL, "Poller refresh interval",
                         "Minutes between two polls (polling only).")
        self._add(interval, forms.IntegerField(label=interval.label, help_text=interval.help, required=False,
                                               min_value=1, max_value=1440,
                                               widget=forms.NumberInput(attrs={"inputmode": "numeric"})))

        poller = entry(EVENTS_POLLER, "Poller configuration",
                       'JSON: for each object, the URL to poll and its date fields, e.g. '
                       '{"contacts": {"url": "/hubs/crm/contacts", "idField": "id", '
                       '"datesConfiguration": {"updatedDateField": "modifiedAt"}}} (polling only).',
                       "CODE_EDITOR")
        self._add(poller, forms.CharField(label=poller.label, help_text=poller.help, required=False,
                                          strip=True, widget=forms.Textarea(attrs={"rows": 6})))

        signature = entry(EVENTS_SIGNATURE, "Signature key",
                          "A secret the provider signs its webhook calls with (webhook only).", "PASSWORD")
        self._add(signature, forms.CharField(label=signature.label, help_text=signature.help,
                                             required=False, max_length=1000))

        # Any other event keys the element has (callback headers, basic auth, objects...).
        for other in self.entries:
            if other.is_event and other.key not in EVENT_KEYS:
                self._add(other, self._field_for(other))

    # --- what the template shows --------------------------------------------------------

    def _bound(self, *, event: bool) -> list[forms.BoundField]:
        names = list(self._keys) + [n for n in self._url_parameters.values() if n not in self._keys]
        return [self[name] for name in names if getattr(self.fields[name], "event", False) == event]

    @property
    def config_fields(self) -> list[forms.BoundField]:
        return self._bound(event=False)

    @property
    def event_fields(self) -> list[forms.BoundField]:
        return self._bound(event=True)

    @property
    def identity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "tags") if name in self.fields]

    @property
    def has_secrets(self) -> bool:
        return any(getattr(f, "secret", False) for f in self.fields.values())

    @property
    def secrets_typed(self) -> bool:
        """A secret was typed in this submission: it is not sent back to the browser."""
        if not self.is_bound:
            return False
        return any(
            getattr(f, "secret", False) and (self.data.get(self.add_prefix(name)) or "").strip()
            for name, f in self.fields.items()
        )

    # --- validation and the configuration to send ----------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, form_field in self.fields.items():
            # The mask is how the platform hides a stored secret, never a secret's value: sent, it
            # would be stored as the eight asterisks it is.
            if getattr(form_field, "secret", False) and str(cleaned.get(name) or "").strip() == MASK:
                self.add_error(name, "Type the secret itself: eight asterisks are how the "
                                     "platform hides a stored one.")
        if not self.events_supported:
            return cleaned
        enabled = cleaned.get(EVENTS_ENABLED)
        if not enabled:
            # Events off: their settings are not sent, so a slip in one of them (hidden) is no error.
            for name, form_field in self.fields.items():
                if getattr(form_field, "event", False):
                    self._errors.pop(name, None)
            return cleaned
        kind = cleaned.get(EVENTS_TYPE) or "webhook"
        if not cleaned.get(EVENTS_CALLBACK) and EVENTS_CALLBACK not in self.errors:
            self.add_error(EVENTS_CALLBACK, "Events need a callback URL to be sent to.")
        poller = (cleaned.get(EVENTS_POLLER) or "").strip()
        if kind == "polling" and poller:
            try:
                parsed = json.loads(poller)
            except ValueError as exc:
                self.add_error(EVENTS_POLLER, f"This is not valid JSON: {exc.msg} (line {exc.lineno}, "
                                              f"column {exc.colno}).")
            else:
                if not isinstance(parsed, dict):
                    self.add_error(EVENTS_POLLER, "The poller configuration is a JSON object: { … }.")
        return cleaned

    def configuration(self) -> dict[str, str]:
        """The platform's configuration keys and their values, as strings, from a valid form.

        Left out: blank optional values on Authenticate, and blank secrets that are not required
        on Re-Authenticate. Never the mask (`clean` refuses it).
        """
        values: dict[str, str] = {}
        events_on = bool(self.cleaned_data.get(EVENTS_ENABLED)) if self.events_supported else False
        for name, key in self._keys.items():
            form_field = self.fields[name]
            value = self.cleaned_data.get(name)
            if key == OAUTH_CALLBACK_KEY:
                values[key] = self.callback_url
                continue
            if self.events_supported and form_field.event:
                if key == EVENTS_ENABLED:
                    values[key] = "true" if events_on else "false"
                    continue
                if not events_on:
                    continue  # disabled events: the rest of their settings do not matter
            if isinstance(form_field, forms.BooleanField):
                values[key] = "true" if value else "false"
                continue
            text = "" if value is None else str(value)
            if not text.strip():
                if form_field.secret:
                    continue
                if self.reauthenticate and self.stored.get(key, "") not in ("", MASK):
                    values[key] = ""  # cleared on purpose
                continue
            values[key] = text.strip() if not isinstance(form_field.widget, forms.Textarea) else text
        if is_oauth(self.element):
            values[OAUTH_CALLBACK_KEY] = self.callback_url
        return values

    def oauth_url_parameters(self) -> dict[str, str]:
        """The element's own OAuth URL parameters, by their names on the call, from a valid form."""
        values = {}
        for query, name in self._url_parameters.items():
            value = self.cleaned_data.get(name)
            if value not in (None, "") and str(value).strip():
                values[query] = str(value).strip()
        return values

    def draft(self) -> dict[str, Any]:
        """What was typed, secrets left out: to fill the form again after a round trip elsewhere."""
        draft: dict[str, Any] = {}
        for name, form_field in self.fields.items():
            if getattr(form_field, "secret", False) or form_field.disabled:
                continue
            if self.is_bound:
                value = self.data.get(self.add_prefix(name))
                if isinstance(form_field, forms.BooleanField):
                    value = bool(value) and value not in ("false", "0", "off")
                draft[name] = value
        return draft


def _kind(form_field: forms.Field) -> str:
    """Which way the template draws a field."""
    widget = form_field.widget
    if form_field.disabled:
        return "fixed"
    if isinstance(widget, forms.PasswordInput):
        return "secret"
    if isinstance(form_field, forms.BooleanField):
        return "boolean"
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "text"


def _event_mode(key: str) -> str:
    """Which events fields matter when: shown or hidden by CSS as the choices change."""
    if key == EVENTS_ENABLED:
        return "toggle"
    if key.startswith("event.poller."):
        return "polling"
    if key == EVENTS_SIGNATURE:
        return "webhook"
    return "any"
