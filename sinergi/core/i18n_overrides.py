"""Django's own Indonesian wording that Sinergi overrides with the civil-service term.

Django's catalogue says "Sandi"; Indonesian government systems say "Kata sandi". Listing the msgids
here puts them in locale/id/LC_MESSAGES/django.po (makemessages extracts gettext_noop), and our
LOCALE_PATHS catalogue takes precedence over Django's. Never imported at run time.
"""

from django.utils.translation import gettext_noop

DJANGO_OVERRIDES = [
    gettext_noop("Password"),
    gettext_noop("Password confirmation"),
    gettext_noop("Old password"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
]
