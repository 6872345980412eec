"""Publications personas, defined once: a communications officer, a reviewer, an analyst (no access)
and an officer of another kabupaten; and a media partner with a newsroom token."""

import pytest

from sinergi.accounts.roles import Role

BREACHING = (
    "Seorang siswi SMP bernama Melati Kusumawardani (14) menjadi korban pencabulan oleh ayah tirinya di "
    "Desa Sungai Rotan. Pelaku sudah ditahan."
)
COMPLIANT = "UPTD PPA menangani laporan kekerasan terhadap seorang anak di Kecamatan Muara Lintang."


@pytest.fixture
def humas(make_user):
    return make_user(Role.COMMUNICATIONS_OFFICER, username="humas_ppra")


@pytest.fixture
def kadis(make_user):
    return make_user(Role.OFFICE_HEAD, username="kadis_ppra")


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, username="analis_ppra")


@pytest.fixture
def outsider(make_user, other_tenant):
    return make_user(Role.COMMUNICATIONS_OFFICER, tenant=other_tenant, username="humas_luar")


@pytest.fixture
def partner(kadis):
    from sinergi.publications import services

    return services.media_partner_create(actor=kadis, tenant=kadis.tenant, name="Harian Sungai Lebar")


@pytest.fixture
def newsroom_key(kadis, partner):
    from sinergi.publications import services

    _token, key = services.newsroom_token_create(actor=kadis, partner=partner, name="CMS redaksi")
    return key
