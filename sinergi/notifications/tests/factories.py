import factory

from sinergi.accounts.tests.factories import UserFactory
from sinergi.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    tenant = factory.LazyAttribute(lambda o: o.recipient.tenant)
    kind = "case-assigned"
    title = factory.Sequence(lambda n: f"Kasus UPTD/2026/{n:04d} ditugaskan kepada Anda")
    body = "Silakan tinjau kasus ini."
    url = "/cases/"
    is_email_wanted = factory.LazyAttribute(lambda o: bool(o.recipient.email))
