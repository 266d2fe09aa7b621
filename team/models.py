from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Who did what, when: every change and every token reveal."""

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=64, db_index=True)
    target = models.CharField(max_length=255, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        permissions = [
            ("manage_instances", "Can authenticate, edit and delete instances"),
            ("view_tokens", "Can reveal instance tokens"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.target}"
