from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dashboard.caches import cache_clear_own
from team.accounts import user_create

DEMO_USERS = (("admin", "admin-demo", True), ("viewer", "viewer-demo", False))


class Command(BaseCommand):
    help = ("Return the demo to exactly its starting state: the two demo logins and no other members, "
            "the sandbox's sample instances, no fault switches, an empty audit log, no sessions and "
            "no cached entries. Only while the sandbox is on (SANDBOX_MODE demo or test).")

    def handle(self, *args, **options):
        if settings.SANDBOX_MODE == "off":
            raise CommandError(
                "demo_reset empties the whole database (every team member, the audit log) and is "
                "only for a demo: it runs while the sandbox is on (SANDBOX_MODE=demo), and "
                "SANDBOX_MODE is off here."
            )
        # Django's flush leaves the database as `migrate` made it, ids counting from 1 again, so the
        # demo's addresses (/instances/1/…) are the same after each reset; it also logs everyone out.
        call_command("flush", interactive=False, verbosity=0)
        for username, password, admin in DEMO_USERS:
            user_create(username=username, password=password, admin=admin)
        call_command("sandbox_reset", verbosity=0)
        # The dashboard's cached catalog, instance counts and docs describe the old sandbox.
        cache_clear_own()
        if options["verbosity"]:
            self.stdout.write("Demo reset: logins admin / admin-demo and viewer / viewer-demo, "
                              "sample instances, no faults, empty audit log.")
