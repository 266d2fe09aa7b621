"""Element resources the sandbox serves for an instance: which, their fields, their sample data.

Sample data is generated on first use, stable per instance (seeded by its id), and kept in the
database, so that what Try it out creates, changes or deletes stays that way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Max

from .models import Instance, ResourceRecord, SeededResource

SAMPLE_SIZE = 36
FIRST = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Radia",
         "Tim", "Frances", "Edsger", "Hedy", "John", "Katherine", "Donald", "Sophie", "Guido"]
LAST = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie",
        "Perlman", "Berners-Lee", "Allen", "Dijkstra", "Lamarr", "McCarthy", "Johnson", "Knuth"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Corp",
             "Wonka", "Tyrell", "Cyberdyne", "Soylent", "Vandelay", "Pied Piper", "Aperture"]
CITIES = ["Denver", "Berlin", "Lisbon", "Osaka", "Toronto", "Nairobi", "Austin", "Dublin"]
EVENTS = ["Signed up", "Viewed pricing", "Started trial", "Invited teammate", "Upgraded plan",
          "Exported report", "Opened app", "Connected integration"]


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string, integer, number, boolean, date-time, email
    kind: str  # how to make a sample value
    required: bool = False


def F(name, type_="string", kind=None, required=False):  # noqa: N802 - a table reads better
    return Field(name, type_, kind or name, required)


RESOURCE_FIELDS: dict[str, tuple[Field, ...]] = {
    "contacts": (F("firstName", required=True), F("lastName", required=True),
                 F("email", "string", "email", True), F("phone"), F("company", kind="company"),
                 F("title"), F("city"), F("createdDate", "date-time", "date")),
    "accounts": (F("name", kind="company", required=True), F("industry"), F("website"),
                 F("city"), F("employees", "integer"), F("annualRevenue", "number"),
                 F("createdDate", "date-time", "date")),
    "opportunities": (F("name", kind="deal", required=True), F("amount", "number"),
                      F("stage"), F("closeDate", "date-time", "date"), F("accountName", kind="company")),
    "users": (F("firstName", required=True), F("lastName", required=True),
              F("email", "string", "email", True), F("city"), F("plan"),
              F("active", "boolean"), F("createdDate", "date-time", "date")),
    "activities": (F("event", required=True), F("distinctId", kind="distinct", required=True),
                   F("city"), F("browser"), F("time", "date-time", "date")),
    "files": (F("name", kind="filename", required=True), F("path", kind="filepath"),
              F("size", "integer"), F("mimeType"), F("modifiedDate", "date-time", "date")),
    "folders": (F("name", kind="folder", required=True), F("path", kind="folderpath"),
                F("createdDate", "date-time", "date")),
    "lists": (F("name", kind="listname", required=True), F("memberCount", "integer"),
              F("createdDate", "date-time", "date")),
    "campaigns": (F("name", kind="campaign", required=True), F("status"),
                  F("sent", "integer"), F("opens", "integer"), F("createdDate", "date-time", "date")),
    "tickets": (F("subject", required=True), F("status"), F("priority"),
                F("requesterEmail", "string", "email"), F("createdDate", "date-time", "date")),
    "orders": (F("orderNumber", kind="order", required=True), F("total", "number"),
               F("currency"), F("status"), F("customerEmail", "string", "email"),
               F("createdDate", "date-time", "date")),
    "products": (F("name", kind="product", required=True), F("sku"), F("price", "number"),
                 F("inventory", "integer")),
    "customers": (F("name", kind="company", required=True), F("email", "string", "email"),
                  F("city"), F("balance", "number"), F("createdDate", "date-time", "date")),
    "invoices": (F("invoiceNumber", kind="invoice", required=True), F("customerName", kind="company"),
                 F("total", "number"), F("currency"), F("status"), F("dueDate", "date-time", "date")),
    "payments": (F("amount", "number", required=True), F("currency"), F("status"),
                 F("customerEmail", "string", "email"), F("createdDate", "date-time", "date")),
    "employees": (F("firstName", required=True), F("lastName", required=True),
                  F("email", "string", "email"), F("department"), F("title"),
                  F("hireDate", "date-time", "date")),
    "messages": (F("text", kind="message", required=True), F("channel"),
                 F("author", kind="fullname"), F("sentDate", "date-time", "date")),
    "channels": (F("name", kind="channel", required=True), F("memberCount", "integer"),
                 F("private", "boolean")),
    "meetings": (F("topic", kind="campaign", required=True), F("host", kind="fullname"),
                 F("startTime", "date-time", "date"), F("duration", "integer")),
}

HUB_RESOURCES = {
    "crm": ("contacts", "accounts", "opportunities"),
    "marketing": ("contacts", "lists", "campaigns"),
    "documents": ("files", "folders"),
    "helpdesk": ("tickets", "contacts"),
    "ecommerce": ("orders", "products", "customers"),
    "finance": ("invoices", "customers"),
    "erp": ("invoices", "customers"),
    "sageaccounting": ("invoices", "customers"),
    "sage": ("invoices", "customers"),
    "billing": ("invoices", "customers"),
    "expense": ("invoices",),
    "payment": ("payments", "customers"),
    "humancapital": ("employees",),
    "employee": ("employees",),
    "messaging": ("messages", "channels"),
    "collaboration": ("messages", "channels"),
    "social": ("messages", "users"),
    "conferencing": ("meetings", "users"),
}
ELEMENT_RESOURCES = {"mixpanel": ("activities", "users")}
DEFAULT_RESOURCES = ("users", "activities")


def resource_names(element: dict) -> tuple[str, ...]:
    key = element["key"].split("-gen")[0]
    return ELEMENT_RESOURCES.get(key) or HUB_RESOURCES.get(element["hub"], DEFAULT_RESOURCES)


def _value(kind: str, rng: random.Random, n: int):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    company = rng.choice(COMPANIES)
    base = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    makers = {
        "firstName": lambda: first,
        "lastName": lambda: last,
        "fullname": lambda: f"{first} {last}",
        "email": lambda: f"{first}.{last}{n}@example.com".lower().replace("-", ""),
        "phone": lambda: f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        "company": lambda: company,
        "title": lambda: rng.choice(["CTO", "Engineer", "Buyer", "Founder", "Analyst", "VP Sales"]),
        "city": lambda: rng.choice(CITIES),
        "date": lambda: (base + timedelta(hours=n * 7 + rng.randint(0, 6)))
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "industry": lambda: rng.choice(["Software", "Retail", "Energy", "Health", "Finance"]),
        "website": lambda: f"https://{company.lower().replace(' ', '')}.example.com",
        "employees": lambda: rng.choice([12, 48, 150, 900, 4200]),
        "annualRevenue": lambda: float(rng.randint(1, 900) * 10_000),
        "deal": lambda: f"{company} renewal {2026 + n % 2}",
        "amount": lambda: float(rng.randint(5, 400) * 100),
        "stage": lambda: rng.choice(["Prospecting", "Proposal", "Negotiation", "Closed Won"]),
        "plan": lambda: rng.choice(["free", "team", "enterprise"]),
        "active": lambda: rng.random() > 0.2,
        "event": lambda: rng.choice(EVENTS),
        "distinct": lambda: f"user-{rng.randint(1000, 9999)}",
        "browser": lambda: rng.choice(["Chrome", "Firefox", "Safari", "Edge"]),
        "filename": lambda: f"{rng.choice(['report', 'invoice', 'notes', 'plan'])}-{n}.pdf",
        "filepath": lambda: f"/Shared/{rng.choice(['Finance', 'Sales', 'Ops'])}/file-{n}.pdf",
        "size": lambda: rng.randint(2_000, 9_000_000),
        "mimeType": lambda: "application/pdf",
        "folder": lambda: f"{rng.choice(['Finance', 'Sales', 'Ops', 'Legal'])} {n}",
        "folderpath": lambda: f"/Shared/Folder {n}",
        "listname": lambda: f"{rng.choice(['Newsletter', 'Trial users', 'Customers'])} {n}",
        "memberCount": lambda: rng.randint(3, 5000),
        "campaign": lambda: f"{rng.choice(['Spring', 'Launch', 'Webinar', 'Q3'])} campaign {n}",
        "status": lambda: rng.choice(["open", "pending", "closed", "paid", "draft"]),
        "sent": lambda: rng.randint(100, 20_000),
        "opens": lambda: rng.randint(10, 9_000),
        "subject": lambda: rng.choice(["Cannot log in", "Refund request", "Bug in export",
                                       "Feature idea", "Invoice question"]),
        "priority": lambda: rng.choice(["low", "normal", "high", "urgent"]),
        "order": lambda: f"SO-{10000 + n}",
        "total": lambda: round(rng.uniform(10, 2500), 2),
        "currency": lambda: rng.choice(["USD", "EUR", "GBP"]),
        "product": lambda: rng.choice(["Widget", "Gadget", "Sprocket", "Gizmo"]) + f" {n}",
        "sku": lambda: f"SKU-{rng.randint(10000, 99999)}",
        "price": lambda: round(rng.uniform(2, 400), 2),
        "inventory": lambda: rng.randint(0, 900),
        "balance": lambda: round(rng.uniform(0, 9000), 2),
        "invoice": lambda: f"INV-{2026}-{n:04d}",
        "department": lambda: rng.choice(["Engineering", "Sales", "Support", "Finance"]),
        "message": lambda: rng.choice(["Deploy is green", "Lunch at noon?", "Release notes are up",
                                       "Who owns the Q3 report?"]),
        "channel": lambda: rng.choice(["general", "eng", "sales", "random"]),
        "private": lambda: rng.random() > 0.7,
        "duration": lambda: rng.choice([15, 30, 45, 60]),
    }
    maker = makers.get(kind)
    return maker() if maker else f"{kind} {n}"


def sample_record(resource: str, rng: random.Random, n: int) -> dict:
    record = {}
    for field in RESOURCE_FIELDS[resource]:
        value = _value(field.kind, rng, n)
        # Some optional fields are null, so `filter.response.nulls` has something to do.
        if not field.required and rng.random() < 0.08:
            value = None
        record[field.name] = value
    return record


def ensure_seeded(instance: Instance, resource: str) -> None:
    if SeededResource.objects.filter(instance=instance, resource=resource).exists():
        return
    rng = random.Random(f"{instance.pk}:{resource}")
    with transaction.atomic():
        _, created = SeededResource.objects.get_or_create(instance=instance, resource=resource)
        if not created:
            return
        ResourceRecord.objects.bulk_create(
            ResourceRecord(instance=instance, resource=resource, record_id=n,
                           data=sample_record(resource, rng, n))
            for n in range(1, SAMPLE_SIZE + 1)
        )


def next_record_id(instance: Instance, resource: str) -> int:
    highest = ResourceRecord.objects.filter(instance=instance, resource=resource).aggregate(
        top=Max("record_id"))["top"]
    return (highest or 0) + 1


def example_record(resource: str) -> dict:
    record = sample_record(resource, random.Random(resource), 1)
    return {k: v for k, v in record.items() if v is not None}
