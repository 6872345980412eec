"""Create a user from the command line (operators; the first system administrator of a tenant).

    manage.py create_user --tenant 64.02 --agency UPTD-PPA --role case_manager --username siti
    echo "$PASSWORD" | manage.py create_user ... --password-stdin

The password is prompted for (twice) unless --password-stdin is given; never pass it as an argument
(it would end up in the shell history and the process list).
"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts import services
from sinergi.accounts.roles import Role
from sinergi.tenants.models import Agency, Tenant


class Command(BaseCommand):
    help = "Create a user in a tenant and agency with a role (password prompted or read from stdin)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="Kemendagri code of the tenant, e.g. 64.02")
        parser.add_argument("--agency", required=True, help="Agency short name within the tenant")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--staff", action="store_true", help="Allow the Django admin (system_admin only, with 2FA)")
        parser.add_argument("--password-stdin", action="store_true", help="Read the password from standard input")

    def handle(self, *args, **options):
        tenant = Tenant.objects.filter(code=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"No tenant with code {options['tenant']!r}.")
        agency = Agency.objects.filter(tenant=tenant, short_name__iexact=options["agency"]).first()
        if agency is None:
            known = ", ".join(tenant.agencies.values_list("short_name", flat=True)[:20]) or "none"
            raise CommandError(f"No agency {options['agency']!r} in tenant {tenant.code} (known: {known}).")
        stdin = options.get("stdin") or sys.stdin
        password = self._read_password(stdin=stdin if options["password_stdin"] else None)
        try:
            user = services.user_create(
                tenant=tenant,
                agency=agency,
                role=options["role"],
                username=options["username"],
                password=password,
                full_name=options["full_name"],
                email=options["email"],
                is_staff=options["staff"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({user.get_role_display()}) in {tenant}."))
        if user.needs_2fa:
            self.stdout.write("This role must set up two-factor authentication at the first login.")

    def _read_password(self, *, stdin) -> str:
        if stdin is not None:
            password = stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        if not password:
            raise CommandError("The password must not be empty.")
        return password
