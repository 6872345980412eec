from django.template import Context, Template
from django.test import RequestFactory

from sinergi.accounts.roles import Role
from sinergi.audit.links import audit_url_for

TEMPLATE = Template("{% load audit %}[{% audit_link_for obj %}]")


def _render(user, obj) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return TEMPLATE.render(Context({"request": request, "obj": obj}))


def test_audit_url_for_filters_the_list_to_one_object(make_user):
    user = make_user(Role.CASE_MANAGER)
    assert audit_url_for(user) == f"/audit/?object_type=accounts.user&object_id={user.pk}"


def test_audit_link_is_shown_to_supervisors(make_user):
    head, subject = make_user(Role.OFFICE_HEAD), make_user(Role.CASE_MANAGER)
    html = _render(head, subject)
    assert f'href="/audit/?object_type=accounts.user&amp;object_id={subject.pk}"' in html


def test_audit_link_is_hidden_from_other_roles(make_user):
    manager = make_user(Role.CASE_MANAGER)
    html = _render(manager, manager)
    assert "<a" not in html
    assert "/audit/" not in html
