from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = "Team: logins, roles and the audit log"

    def ready(self) -> None:
        from . import logins  # noqa: F401  (connects the login record's signal receivers)
