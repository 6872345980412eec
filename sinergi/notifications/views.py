from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services

PAGE_SIZE = 25


@never_cache
@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notification_list_for_user(user=request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread_count": selectors.unread_count_for_user(user=request.user),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: UUID) -> HttpResponse:
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.htmx:
        response = render(request, "notifications/partials/_row.html", {"notification": notification})
        # Let the navigation badge refresh itself without a full page load.
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(actor=request.user)
    text = ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
    messages.success(request, text % {"count": count})
    return redirect("notifications:list")


@never_cache
@login_required
@require_GET
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The unread count for the navigation; polled by htmx as name="poll" (not counted as activity)."""
    count = selectors.unread_count_for_user(user=request.user)
    return render(request, "notifications/partials/_badge.html", {"unread_count": count})
