"""What other apps may listen to about case data (the case services send it; nothing here decides).

`case_data_changed` is sent by the writes that bypass `save()` and so send no `post_save`: bulk inserts
of people and rights, conditional `UPDATE`s of rights, referrals and cases (escalation, letter numbers).
Receivers get `tenant_id` and must do their work after the commit (e.g. sinergi.maps invalidates its
cached figures with `transaction.on_commit`).
"""

from typing import Any

from django.dispatch import Signal

case_data_changed = Signal()


def case_data_changed_send(*, sender: type, tenant_id: Any) -> None:
    """Tell the listeners that rows of `sender` of a tenant changed without `save()`."""
    case_data_changed.send(sender=sender, tenant_id=tenant_id)
