"""Print a new Fernet key for SINERGI_FIELD_KEYS.

Rotation: prepend the new key (SINERGI_FIELD_KEYS=new,old), restart, run `manage.py rotate_field_keys`,
check it reports nothing left under the old key, then drop the old key.
"""

from django.core.management.base import BaseCommand

from sinergi.core import crypto


class Command(BaseCommand):
    help = "Print a new Fernet key. Prepend it to SINERGI_FIELD_KEYS, then run rotate_field_keys."

    def handle(self, *args, **options) -> None:
        self.stdout.write(crypto.generate_key())
