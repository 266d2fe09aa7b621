"""Create or update a team member from the command line: the first admin of a deployment."""

from __future__ import annotations

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from team import accounts
from team.accounts import COMMAND_LINE, MemberError


class Command(BaseCommand):
    help = (
        "Create a team member, or update one: role, password, and active again. "
        "The password comes from an environment variable (--password-from-env VAR) or, in a "
        "terminal, is asked for twice. Example: manage.py team_member alice --admin"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        role = parser.add_mutually_exclusive_group()
        role.add_argument("--admin", action="store_true",
                          help="an admin: changes things, sees tokens, manages the team")
        role.add_argument("--viewer", action="store_true",
                          help="a viewer: browses (the default for a new member)")
        parser.add_argument("--password-from-env", metavar="VAR",
                            help="read the password from this environment variable")

    def handle(self, *args, username, admin, viewer, password_from_env, **options):
        role = "admin" if admin else "viewer" if viewer else None
        member = accounts.member_find(username=username.strip())
        try:
            with transaction.atomic():  # all of it or, when a step is refused, nothing
                if member is None:
                    self._create(username, role or "viewer", self._password(password_from_env, username))
                else:
                    self._update(member, role, password_from_env)
        except MemberError as exc:
            raise CommandError(exc.message) from None
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None

    def _create(self, username: str, role: str, password: str) -> None:
        member = accounts.member_add(by=COMMAND_LINE, username=username, password=password,
                                     admin=role == "admin")
        self.stdout.write(self.style.SUCCESS(
            f"Added {member.username} as {'an admin' if role == 'admin' else 'a viewer'}. "
            "They can log in now."
        ))

    def _update(self, member, role: str | None, password_from_env: str | None) -> None:
        # An existing member whose role alone changes keeps their password, unless one is given.
        wants_password = password_from_env is not None or role is None
        password = self._password(password_from_env, member.username) if wants_password else None
        done = []
        if password is not None:
            accounts.member_password_set(by=COMMAND_LINE, member=member, password=password)
            done.append("new password set")
        if role is not None and accounts.member_role_set(by=COMMAND_LINE, member=member,
                                                         admin=role == "admin"):
            done.append(f"now {'an admin' if role == 'admin' else 'a viewer'}")
        if accounts.member_active_set(by=COMMAND_LINE, member=member, active=True):
            done.append("active again")
        summary = ", ".join(done) if done else "nothing to change"
        self.stdout.write(self.style.SUCCESS(f"Updated {member.username}: {summary}."))

    def _password(self, env_var: str | None, username: str) -> str:
        if env_var:
            password = os.environ.get(env_var)
            if not password:
                raise CommandError(f"The environment variable {env_var} is not set or is empty.")
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                "No password: give one with --password-from-env VAR, or run this command in a "
                "terminal to type it."
            )
        try:
            password = getpass.getpass(f"Password for {username}: ")
            if not password:
                raise CommandError("No password typed: nothing was changed.")
            if getpass.getpass("The same password again: ") != password:
                raise CommandError("The two passwords differ: nothing was changed.")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("Cancelled: nothing was changed.") from None
        return password
