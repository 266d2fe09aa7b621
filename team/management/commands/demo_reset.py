from django.core.management import call_command
from django.core.management.base import BaseCommand

from team.accounts import user_create
from team.models import AuditEntry

DEMO_USERS = (("admin", "admin-demo", True), ("viewer", "viewer-demo", False))


class Command(BaseCommand):
    help = "Return the demo to its starting state: demo logins, sample instances, empty audit log."

    def handle(self, *args, **options):
        for username, password, admin in DEMO_USERS:
            user_create(username=username, password=password, admin=admin)
        AuditEntry.objects.all().delete()
        call_command("sandbox_reset", verbosity=options.get("verbosity", 1))
        self.stdout.write(self.style.SUCCESS(
            "Demo ready. Log in as admin / admin-demo (admin) or viewer / viewer-demo (viewer)."
        ))
