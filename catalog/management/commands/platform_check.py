"""`manage.py platform_check`: read the configured platform with the configured secrets and say
what works, changing nothing: a team's first minute with its real account.

Every call is a GET: the secrets (`GET /elements/keys`), the catalog (`GET /elements`, then one
element), the instances page by page (`GET /instances?pageSize=N`, `nextPage`), and one instance's
docs (`GET /instances/{id}/docs`). A failure prints the status, the platform's message and its
requestId; the command exits with 1 if anything failed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cloud_elements import CloudElementsError, get_client, tag_names

SAMPLE_ENTRIES = 8  # configuration entries shown for the sample element


class Command(BaseCommand):
    help = ("Read the configured Cloud Elements platform (catalog, instances with paging, one "
            "instance's docs) with the configured secrets, change nothing, and print what works.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--element", default="",
                            help="The element to show as the catalog's sample (its key); "
                                 "default: the first one listed.")
        parser.add_argument("--page-size", type=int, default=50,
                            help="Instances per page when listing them (default 50).")

    def handle(self, *args, element: str, page_size: int, **options) -> None:
        self.failures = 0
        self.client = get_client()
        self.stdout.write(f"Platform: {settings.CLOUD_ELEMENTS_URL}")
        if self._step("Secrets", self._secrets):
            catalog = self._step("Catalog", self._catalog)
            if catalog:
                self._step("Sample element", lambda: self._sample(element or catalog[0]))
            instances = self._step("Instances", lambda: self._instances(max(1, page_size)))
            if instances:
                self._step("Instance docs", lambda: self._docs(instances[0]))
            elif instances is not None:
                self.stdout.write("Instance docs: skipped, the account has no instances")
        if self.failures:
            raise CommandError(f"{self.failures} check(s) failed: see above.", returncode=1)
        self.stdout.write(self.style.SUCCESS("Everything read here works."))

    def _step(self, title: str, check: Callable):
        """Run one check: its lines on success, the platform's own words on failure."""
        try:
            result, lines = check()
        except CloudElementsError as exc:
            self.failures += 1
            self.stdout.write(self.style.ERROR(f"{title}: FAILED"))
            self.stdout.write(f"  status:    {exc.status or 'no answer'}")
            self.stdout.write(f"  message:   {exc.user_message}")
            self.stdout.write(f"  requestId: {exc.request_id or '(none)'}")
            if exc.method and exc.path:
                self.stdout.write(f"  call:      {exc.method} {exc.path}")
            return None
        self.stdout.write(self.style.SUCCESS(f"{title}: ok"))
        for line in lines:
            self.stdout.write(f"  {line}")
        return result

    def _secrets(self):
        keys = self.client.element_keys()
        return keys, [f"the user and organization secrets are accepted ({len(keys)} element keys)"]

    def _catalog(self):
        elements = self.client.element_list()
        keys = [str(e.get("key")) for e in elements if isinstance(e, dict) and e.get("key")]
        hubs = sorted({str(e.get("hub")) for e in elements if isinstance(e, dict) and e.get("hub")})
        return keys, [f"{len(elements)} elements in {len(hubs)} hubs"]

    def _sample(self, key: str):
        element = self.client.element_get(key)
        auth = (element.get("authentication") or {}).get("type") or "unknown"
        entries = [c for c in element.get("configuration") or [] if isinstance(c, dict)]
        lines = [
            f"{element.get('name')} (key {element.get('key')}, id {element.get('id')}, "
            f"hub {element.get('hub') or '-'}, authentication {auth})",
            f"logo: {self.client.image_url(element.get('image')) or '(none)'}",
            f"{len(entries)} configuration entries:",
        ]
        for entry in entries[:SAMPLE_ENTRIES]:
            required = "required" if entry.get("required") else "optional"
            lines.append(f"  {entry.get('key')}: “{entry.get('name')}”, {entry.get('type')}, {required}")
        if len(entries) > SAMPLE_ENTRIES:
            lines.append(f"  … and {len(entries) - SAMPLE_ENTRIES} more")
        return element, lines

    def _instances(self, page_size: int):
        pages = list(self.client.instance_pages(page_size=page_size))
        instances = [i for page in pages for i in page]
        lines = [f"{len(instances)} instances in {len(pages)} page(s) of up to {page_size}"]
        for instance in instances[:5]:
            element = (instance.get("element") or {}).get("key") or "?"
            tags = ", ".join(tag_names(instance.get("tags"))) or "no tags"
            lines.append(f"#{instance.get('id')} {instance.get('name')} ({element}; {tags})")
        if len(instances) > 5:
            lines.append(f"… and {len(instances) - 5} more")
        return instances, lines

    def _docs(self, instance: dict):
        docs = self.client.instance_docs(instance["id"]) or {}
        paths = docs.get("paths") or {}
        operations = sum(len(p) for p in paths.values() if isinstance(p, dict))
        return docs, [f"instance #{instance['id']}: Swagger {docs.get('swagger', '?')}, "
                      f"{len(paths)} paths, {operations} operations"]
