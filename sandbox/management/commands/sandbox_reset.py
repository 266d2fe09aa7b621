from django.core.management.base import BaseCommand

from sandbox.seed import sandbox_reset


class Command(BaseCommand):
    help = "Empty the sandbox and seed it with a few sample instances, with tags."

    def handle(self, *args, **options):
        created = sandbox_reset()
        if options["verbosity"]:
            self.stdout.write(f"Sandbox reset: {len(created)} sample instances.")
