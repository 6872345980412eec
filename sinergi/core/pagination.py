"""Paging that stays fast deep into large lists ("deferred join").

A plain OFFSET query joins and annotates every skipped row. Here the page is first chosen on primary
keys only (an index scan), then just those rows are loaded with their joins and annotations.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet


class DeferredJoinPaginator(Paginator):
    """`rows`: optional callable (ids -> queryset of those rows with their joins and annotations). Without
    it the rows are loaded through the list's own queryset, so its filters run a second time; a caller
    whose filter is costly to run again (e.g. a visibility OR with a subquery) loads the rows by id only.
    The ids come from the filtered queryset, so the rows are the same."""

    def __init__(self, object_list, per_page, *args, rows=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        loaded = self.rows(ids) if self.rows is not None else self.object_list.order_by().filter(pk__in=ids)
        rows = {obj.pk: obj for obj in loaded}
        return self._get_page(  # type: ignore[attr-defined]  # Paginator's own hook, absent from the stubs
            [rows[pk] for pk in ids if pk in rows], number, self
        )
