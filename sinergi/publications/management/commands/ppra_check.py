"""`manage.py ppra_check FILE|- [--tenant CODE]`: the PPRA checker's JSON on stdout, for evaluations
and newsroom integration scripts. Same engine and output as the API."""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.publications.ppra.files import extract_text
from sinergi.publications.selectors import ppra_check_text


class Command(BaseCommand):
    help = "Check a text about children against the PPRA (Dewan Pers 1/2019) and print the findings as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="UTF-8 text, DOCX or PDF file; '-' reads UTF-8 text from stdin")
        parser.add_argument("--tenant", metavar="CODE", help="Kemendagri code of the tenant, e.g. 64.02")

    def handle(self, *args, **options) -> None:
        source = options["file"]
        try:
            if source == "-":
                data = sys.stdin.buffer.read()
                name = ""
            else:
                path = Path(source)
                data = path.read_bytes()
                name = path.name
            text = extract_text(data=data, filename=name)
            result = ppra_check_text(text=text, tenant_code=options["tenant"])
        except OSError as exc:
            raise CommandError(f"Cannot read {source}: {exc.strerror}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(str(m) for m in exc.messages)) from exc
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
