"""Issue 19: the API documentation link left the navigation for the account page of token holders;
a Satgas PPA volunteer never sees it."""

import pytest
from django.urls import reverse

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role

pytestmark = pytest.mark.django_db

DOCS = f'href="{reverse("api-docs")}"'


def _token(user) -> ApiToken:
    return ApiToken.objects.create(user=user, name="SIMFONI", prefix="snrg_test", token_hash=f"hash-{user.pk}")


def test_no_page_header_links_the_api_docs(case_manager, client_for):
    _token(case_manager)
    assert DOCS not in client_for(case_manager).get(reverse("core:home")).content.decode()


def test_the_account_page_links_the_api_docs_only_for_a_token_holder(case_manager, client_for):
    client = client_for(case_manager)
    assert DOCS not in client.get(reverse("accounts:profile")).content.decode()
    _token(case_manager)
    assert DOCS in client.get(reverse("accounts:profile")).content.decode()


def test_a_satgas_volunteer_never_sees_the_api_docs_link(make_user, client_for):
    volunteer = make_user(Role.SATGAS_VOLUNTEER)
    _token(volunteer)
    client = client_for(volunteer)
    for url in (reverse("core:home"), reverse("accounts:profile")):
        assert DOCS not in client.get(url).content.decode(), url
