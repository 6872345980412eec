"""A module plugs in by adding files only: sinergi/core/tests/plugin_app (installed by the test settings)
gets a nav entry, a dashboard card, a public page, demo data, an audit event and documents, without a
line of core, config/urls.py or another app changed for it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.core import dashboard, plugins
from sinergi.core.tests.plugin_app import services
from sinergi.core.tests.plugin_app.demo import DEMO_VISIT_TITLE
from sinergi.core.tests.plugin_app.models import Visit
from sinergi.documents.models import Document
from sinergi.documents.tests.factories import plain_png

VISIT_TITLE = "Kunjungan ke Desa Loa Ipuh"


@pytest.fixture
def head(make_user):
    return make_user(Role.OFFICE_HEAD)


@pytest.fixture
def visit(head, tenant):
    return services.visit_create(actor=head, tenant=tenant, title=VISIT_TITLE)


def _nav(html: str) -> str:
    marker = 'aria-label="Navigasi utama"'
    assert marker in html
    return html.split(marker, 1)[1].split("</nav>", 1)[0]


# ---- navigation --------------------------------------------------------------------------------------


def test_the_nav_entry_is_shown_to_the_role_the_policy_lets_in(head, client_for):
    nav = _nav(client_for(head).get(reverse("core:home")).content.decode())
    assert '<a href="/visits/">Visits</a>' in nav
    # In the registered order: after the case-handling links (20s), before agencies (60).
    assert nav.index("/cases/") < nav.index("/visits/") < nav.index("/agencies/")


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.ANALYST, Role.SYSTEM_ADMIN])
def test_the_nav_entry_is_hidden_from_other_roles(make_user, client_for, role):
    nav = _nav(client_for(make_user(role)).get(reverse("core:home")).content.decode())
    assert "/visits/" not in nav
    assert "/agencies/" in nav  # the rest of the navigation is still there


def test_the_nav_entry_marks_its_page_as_current(head, client_for):
    nav = _nav(client_for(head).get(reverse("plugin_app:visit_list")).content.decode())
    assert '<a href="/visits/" aria-current="page">Visits</a>' in nav


# ---- dashboard -----------------------------------------------------------------------------------------


def test_the_dashboard_card_appears_for_the_office_head_only(head, visit, make_user, client_for):
    assert "1 visits recorded" in client_for(head).get(reverse("core:home")).content.decode()
    assert "visits recorded" not in client_for(make_user(Role.CASE_MANAGER)).get(reverse("core:home")).content.decode()


def test_a_card_with_a_placeholder_key_replaces_the_placeholder(make_user):
    user = make_user(Role.ANALYST)

    def maps_card(user):
        return {"template": "core/widgets/_welcome.html", "name": "Maps"}

    keys_before = dict(dashboard._card_keys)
    try:
        before = [w.get("key") for w in dashboard.widgets_for(user)]
        assert "maps" in before
        dashboard.register(30, key="maps")(maps_card)
        after = dashboard.widgets_for(user)
        assert "maps" not in [w.get("key") for w in after]
        assert {"template": "core/widgets/_welcome.html", "name": "Maps"} in after
    finally:
        dashboard._providers[:] = [p for p in dashboard._providers if p[2] is not maps_card]
        dashboard._card_keys.clear()
        dashboard._card_keys.update(keys_before)


# ---- public page ---------------------------------------------------------------------------------------


def test_the_public_page_answers_without_a_login(db):
    response = Client().get("/kunjungan/")
    assert response.status_code == 200
    assert "Posyandu information" in response.content.decode()


def test_the_public_page_is_open_before_the_second_factor(head):
    client = Client()
    client.force_login(head)  # signed in, second factor not yet verified
    assert client.get("/kunjungan/").status_code == 200
    assert client.get("/visits/").status_code == 302  # the private pages still ask for it


def test_the_private_pages_need_a_login(db):
    response = Client().get("/visits/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# ---- audit ---------------------------------------------------------------------------------------------


def test_the_app_audit_event_is_accepted_and_named_in_the_trail(head, visit, client_for):
    assert AuditEvent.objects.filter(action="visit.created", object_id=str(visit.pk)).count() == 1
    html = client_for(head).get(reverse("audit:list")).content.decode()
    assert "Visit recorded" in html
    assert VISIT_TITLE in html


# ---- demo data -----------------------------------------------------------------------------------------


def test_the_demo_seeder_runs_once_with_the_demo(db):
    call_command("load_regions", "--only", "64.02,64.01,16.08,35.71", stdout=io.StringIO())
    first = io.StringIO()
    call_command("demo_seed", "--cases", "6", stdout=first)
    second = io.StringIO()
    call_command("demo_seed", "--cases", "6", stdout=second)
    assert Visit.objects.filter(title=DEMO_VISIT_TITLE, tenant__code="64.02").count() == 1
    assert "Visits: 1 created" in first.getvalue()
    assert "Visits: already seeded" in second.getvalue()
    assert [s.key for s in plugins.demo_seeders()].index("plugin_app.visits") > 1  # after tenants and cases


# ---- documents -----------------------------------------------------------------------------------------


def _upload(client, visit, name="foto.png"):
    return client.post(
        reverse("plugin_app:visit_document_upload", args=[visit.pk]),
        {
            "kind": "photo",
            "title": "Foto rumah",
            "file": SimpleUploadedFile(name, plain_png(), content_type="image/png"),
        },
    )


def test_the_owner_attaches_and_downloads_a_document(head, visit, client_for):
    client = client_for(head)
    response = _upload(client, visit)
    assert response.status_code == 302
    document = Document.objects.get(owner_id=str(visit.pk))
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert body.startswith(b"\x89PNG")
    assert "Foto rumah" in client.get(reverse("plugin_app:visit_detail", args=[visit.pk])).content.decode()


def test_a_reader_may_download_but_not_attach(head, visit, make_user, client_for):
    _upload(client_for(head), visit)
    document = Document.objects.get(owner_id=str(visit.pk))
    reader = client_for(make_user(Role.CASE_MANAGER))
    assert reader.get(reverse("documents:download", args=[document.pk])).status_code == 200
    assert _upload(reader, visit, "lagi.png").status_code == 403
    assert Document.objects.filter(owner_id=str(visit.pk)).count() == 1


def test_an_outsider_gets_404_for_the_visit_and_its_document(head, visit, make_user, other_tenant, client_for):
    _upload(client_for(head), visit)
    document = Document.objects.get(owner_id=str(visit.pk))
    outsider = client_for(make_user(Role.OFFICE_HEAD, tenant=other_tenant))
    assert outsider.get(reverse("plugin_app:visit_detail", args=[visit.pk])).status_code == 404
    assert outsider.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert _upload(outsider, visit, "x.png").status_code == 404
    assert Document.objects.filter(owner_id=str(visit.pk)).count() == 1
