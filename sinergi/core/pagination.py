"""Paging that stays fast deep into large lists ("deferred join").

A plain OFFSET query joins and annotates every skipped row. Here the page is first chosen on primary
keys only (an index scan), then just those rows are loaded with their joins and annotations.

A page in the back half of a list whose order is total (it ends with the primary key) is chosen from the
other end: the reversed order with the small offset. An index walked in order stops after the rows it
needs, so the last page ("the oldest cases", one click in the page links) costs what the first does
instead of skipping every row before it.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class DeferredJoinPaginator(Paginator):
    """`rows`: optional callable (ids -> queryset of those rows with their joins and annotations). Without
    it the rows are loaded through the list's own queryset, so its filters run a second time; a caller
    whose filter is costly to run again (e.g. a visibility OR with a subquery) loads the rows by id only.
    The ids come from the filtered queryset, so the rows are the same."""

    def __init__(self, object_list, per_page, *args, rows=None, ids=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows
        # `ids`: optional flat queryset of the same primary keys in the same total order, read from
        # elsewhere (e.g. an index of another table); `object_list` then only counts, if asked.
        self.ids = ids

    @cached_property
    def count(self) -> int:
        """From `ids` when given (the same keys, read from the cheaper source), else the list's count."""
        return self.ids.count() if self.ids is not None else super().count

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.ids if self.ids is not None else self.object_list.values_list("pk", flat=True)
        if bottom > self.count - top and (self.ids is not None or _total_order(self.object_list)):
            ids = list(keys.reverse()[self.count - top : self.count - bottom])
            ids.reverse()
        else:
            ids = list(keys[bottom:top])
        loaded = self.rows(ids) if self.rows is not None else self.object_list.order_by().filter(pk__in=ids)
        rows = {obj.pk: obj for obj in loaded}
        return self._get_page(  # type: ignore[attr-defined]  # Paginator's own hook, absent from the stubs
            [rows[pk] for pk in ids if pk in rows], number, self
        )


def _total_order(qs: QuerySet) -> bool:
    """Whether the queryset's explicit order ends with its primary key (so reversing it is exact: no ties)."""
    order = qs.query.order_by
    if not order or not qs.query.default_ordering:
        return False
    last = order[-1]
    if not isinstance(last, str):
        return False
    return last.lstrip("-") in ("pk", qs.model._meta.pk.name)
