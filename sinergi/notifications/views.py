from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import kinds, selectors, services
from .forms import PreferencesForm

MSG_PREFERENCES_SAVED = _("Your notification settings are saved.")

PAGE_SIZE = 25


@never_cache
@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    kind = request.GET.get("kind", "")
    if kind:
        qs = selectors.notification_list_of_kind(user=request.user, kind=kind, unread_only=unread_only)
    else:
        qs = selectors.notification_list_for_user(user=request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "kind": kinds.get(kind) if kind else None,
        "groups": [] if kind else selectors.unread_groups_for_user(user=request.user, limit=20),
        "unread_count": selectors.unread_count_for_user(user=request.user),
    }
    return render(request, "notifications/list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Per kind: in the app only, by e-mail at once, or in the daily summary."""
    current = services.notification_preferences_for(user=request.user)
    form = PreferencesForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_set(actor=request.user, channels=form.channels())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, MSG_PREFERENCES_SAVED)
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


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
