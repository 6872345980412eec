"""Paging that stays fast deep into large lists ("deferred join").

A plain OFFSET query joins and annotates every skipped row. Here the page is first chosen on primary
keys only (an index scan), then just those rows are loaded with their joins and annotations.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet


class DeferredJoinPaginator(Paginator):
    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {obj.pk: obj for obj in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page(  # type: ignore[attr-defined]  # Paginator's own hook, absent from the stubs
            [rows[pk] for pk in ids if pk in rows], number, self
        )
