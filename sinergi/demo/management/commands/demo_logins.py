"""Print the demo logins (or the current TOTP code of one demo user) after `make demo`.

Only accounts from the demo table whose 2FA device still holds the public demo key are listed: a real
account, or a demo account whose owner enrolled a new authenticator, never has a secret printed.
"""

import time
from base64 import b32encode

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.demo import people as demo


class Command(BaseCommand):
    help = "List the demo logins (username, role, agency, TOTP secret) or print a demo user's current TOTP code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Where the demo runs.")
        parser.add_argument("--otp", metavar="USERNAME", help="Print the current 6-digit code of this demo user.")

    def handle(self, *args, **options) -> None:
        if options["otp"]:
            self._print_code(options["otp"].strip())
        else:
            self._print_table(options["url"])

    def _demo_device(self, username: str):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from sinergi.accounts.models import User

        user = User.objects.filter(username=username).select_related("agency", "tenant").first()
        if user is None or not demo.demo_user_is_genuine(user):
            return user, None
        device = TOTPDevice.objects.filter(user=user, confirmed=True, key=demo.demo_totp_key(username)).first()
        return user, device

    def _print_code(self, username: str) -> None:
        from django_otp.oath import TOTP

        if username not in demo.DEMO_USERNAMES:
            raise CommandError(
                f"'{username}' is not a demo login. Demo logins: {', '.join(u.username for u in demo.DEMO_USERS)}."
            )
        user, device = self._demo_device(username)
        if user is None:
            raise CommandError(f"Demo user '{username}' does not exist yet: run `manage.py demo_seed`.")
        if device is None:
            raise CommandError(
                f"'{username}' has no demo authenticator (no 2FA for this role, or its 2FA was re-enrolled)."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        remaining = device.step - int(now - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stdout.flush()
        self.stderr.write(f"(code for {username}, valid for about {remaining} s more; each code works once)")

    def _print_table(self, url: str) -> None:
        rows = []
        for spec in demo.DEMO_USERS:
            user, device = self._demo_device(spec.username)
            if user is None or not demo.demo_user_is_genuine(user):
                continue
            secret = b32encode(device.bin_key).decode() if device else ""
            rows.append(
                (
                    spec.username,
                    str(user.get_role_display()),
                    f"{user.agency.short_name if user.agency else '-'} ({user.tenant.code if user.tenant else '-'})",
                    "yes" if device else "no",
                    secret,
                    spec.note,
                )
            )
        if not rows:
            raise CommandError("No demo logins found: run `manage.py demo_seed` first.")
        header = ("username", "role", "agency (tenant)", "2FA", "TOTP secret (base32, demo only)", "note")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        out = self.stdout.write
        out("")
        out(f"Sinergi demo is running at {url}")
        out(f"Password for every demo login: {demo.DEMO_PASSWORD}")
        out("Fictional data only. These logins and secrets are public: never use them on a real server.")
        out("")
        out("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
        out("  ".join("-" * w for w in widths))
        for row in rows:
            out("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        out("")
        out("2FA: add the secret to an authenticator app, or print the current code with")
        out("     make otp USER=kasus   (or: manage.py demo_logins --otp kasus)")
