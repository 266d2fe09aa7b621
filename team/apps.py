from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = "Team: logins, roles and the audit log"

    def ready(self) -> None:
        # Connects the signal receivers: the login record's, and those that forget cached roles.
        from . import logins, signals  # noqa: F401
