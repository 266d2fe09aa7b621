"""What the sandbox stores: instances, their resource records, OAuth codes and fault switches."""

from __future__ import annotations

from django.db import models


class Instance(models.Model):
    """An authenticated element instance, as the platform keeps it."""

    name = models.CharField(max_length=200)
    element_key = models.CharField(max_length=200, db_index=True)
    token = models.CharField(max_length=64, unique=True)
    tags = models.JSONField(default=list)
    configuration = models.JSONField(default=dict)  # values as strings, secrets unmasked
    valid = models.BooleanField(default=True)
    disabled = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __repr__(self) -> str:  # never the token or the configuration
        return f"<Instance {self.pk} {self.element_key}>"

    def __str__(self) -> str:
        return repr(self)


class ResourceRecord(models.Model):
    """One object of an element resource (Mixpanel's users, a CRM's contacts…) for one instance."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="records")
    resource = models.CharField(max_length=100)
    record_id = models.PositiveIntegerField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["record_id"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "resource", "record_id"],
                                    name="sandbox_record_unique"),
        ]
        indexes = [models.Index(fields=["instance", "resource"])]

    def __str__(self) -> str:
        return f"{self.resource} #{self.record_id}"


class SeededResource(models.Model):
    """Marks that an instance's resource got its sample data, so deleting every record sticks."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="seeded")
    resource = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instance", "resource"], name="sandbox_seeded_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} of instance {self.instance_id}"


class OAuthCode(models.Model):
    """A code the consent page handed out; `POST /instances` redeems it once."""

    code = models.CharField(max_length=64, unique=True)
    element_key = models.CharField(max_length=200)
    api_key = models.CharField(max_length=500)
    redirect_uri = models.CharField(max_length=2000)
    used = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:  # never the code itself
        return f"OAuth code for {self.element_key}"


class Fault(models.Model):
    """A switch that makes the sandbox slow or failing on a path, for tests and demos."""

    path_prefix = models.CharField(max_length=500, help_text="Relative to /elements/api-v2")
    method = models.CharField(max_length=10, blank=True, help_text="Empty: every method")
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    delay = models.FloatField(default=0)
    message = models.CharField(max_length=500, blank=True)
    times = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: every time")
    hits = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        what = f"{self.status}" if self.status else "pass"
        if self.delay:
            what += f" after {self.delay:g}s"
        return f"{self.method or 'ANY'} {self.path_prefix} → {what}"


class OAuthRequestToken(models.Model):
    """An OAuth1 request token (`GET /elements/{key}/oauth/token`): the consent page authorizes
    it with a verifier, and `POST /instances` exchanges it once, with its secret."""

    token = models.CharField(max_length=64, unique=True)
    secret = models.CharField(max_length=64)
    element_key = models.CharField(max_length=200)
    api_key = models.CharField(max_length=500)
    callback_url = models.CharField(max_length=2000)
    state = models.CharField(max_length=500, blank=True)  # given back on the callback, as OAuth2's
    verifier = models.CharField(max_length=64, blank=True)  # set when the user allows access
    used = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:  # never the token, its secret or the verifier
        return f"OAuth1 request token for {self.element_key}"
