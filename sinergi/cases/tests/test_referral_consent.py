"""Consent to share with each referred agency, the office head's emergency exception, and the agencies
offered for a service. The service layer decides; the HTML form and the API agree."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Referral, SharingConsent
from sinergi.core import clock

from .factories import make_agency, make_case

pytestmark = pytest.mark.django_db

API = "/api/v1/cases/"
GUARDIAN = s.ConsentInput(given_by="guardian", method="verbal", giver_name="Ibu Sari")


def _refer(actor, case, agency, **kw):
    return s.referral_create(actor=actor, case=case, agency=agency, service_type="social_rehab", **kw)


def test_a_referral_without_consent_is_refused_and_nothing_is_written(cm, tenant, dinsos):
    case = make_case(cm, tenant)
    with pytest.raises(ValidationError) as caught:
        _refer(cm, case, dinsos)
    assert str(s.ERR_NO_CONSENT) in str(caught.value)
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="referral.").exists()


def test_the_consent_records_who_when_and_how_and_covers_later_referrals(cm, tenant, dinsos):
    case = make_case(cm, tenant)
    referral = _refer(cm, case, dinsos, consent=GUARDIAN)
    consent = referral.consent
    assert (consent.given_by, consent.method, consent.giver_name) == ("guardian", "verbal", "Ibu Sari")
    assert consent.given_on == clock.tenant_today(tenant)
    assert consent.recorded_by == cm
    assert AuditEvent.objects.filter(action="case.consent_recorded").count() == 1
    # The guardian's name is ciphertext at rest and never in the audit row.
    assert "Ibu Sari" not in str(AuditEvent.objects.get(action="case.consent_recorded").extra)
    # A second service of the same agency rests on the consent already given.
    again = s.referral_create(actor=cm, case=case, agency=dinsos, service_type="shelter")
    assert again.consent == consent
    assert SharingConsent.objects.count() == 1


def test_consent_for_one_agency_does_not_cover_another(cm, tenant, dinsos):
    case = make_case(cm, tenant)
    _refer(cm, case, dinsos, consent=GUARDIAN)
    ngo = make_agency(tenant, kind="ngo", short_name="LSM")
    with pytest.raises(ValidationError):
        _refer(cm, case, ngo)


def test_a_child_does_not_consent_alone(cm, tenant, dinsos):
    case = make_case(cm, tenant)
    assert case.has_child_victim
    with pytest.raises(ValidationError) as caught:
        _refer(cm, case, dinsos, consent=s.ConsentInput(given_by="victim", method="verbal"))
    assert "consent_given_by" in caught.value.message_dict
    assert not SharingConsent.objects.exists()


def test_only_the_office_head_refers_without_consent_and_it_is_audited(cm, head, tenant, dinsos):
    case = make_case(cm, tenant)
    with pytest.raises(ValidationError) as caught:
        _refer(cm, case, dinsos, emergency_reason="Anak dalam bahaya malam ini")
    assert "emergency_reason" in caught.value.message_dict
    assert not Referral.objects.exists()

    referral = _refer(head, case, dinsos, emergency_reason="Anak dalam bahaya malam ini")
    assert referral.consent is None
    assert referral.emergency_by == head
    assert referral.emergency_reason == "Anak dalam bahaya malam ini"
    event = AuditEvent.objects.get(action="referral.emergency_without_consent")
    assert event.actor_id == head.pk
    assert "bahaya" not in str(event.extra)


def test_html_form_and_api_refuse_a_referral_without_consent_alike(cm, head, tenant, dinsos, client_for):
    case = make_case(cm, tenant)
    form = {"referral-agency": dinsos.pk, "referral-service_type": "social_rehab"}
    page = client_for(cm).post(reverse("cases:case_refer", args=[case.pk]), form)
    assert page.status_code == 400
    assert 'id="id_referral-consent_given_by_error"' in page.content.decode()
    # The case manager is not offered the emergency field; the office head is.
    assert "referral-emergency_reason" not in page.content.decode()
    # The referral form opens on demand (the case page links to it); without JS its GET is the page with it open.
    head_form = client_for(head).get(reverse("cases:case_refer", args=[case.pk])).content.decode()
    assert "referral-emergency_reason" in head_form

    url = f"{API}{case.pk}/referrals/"
    body = {"agency": str(dinsos.pk), "service_type": "social_rehab"}
    api = client_for(cm).post(url, body, content_type="application/json")
    assert api.status_code == 400
    assert "consent_given_by" in api.json()["error"]["details"]
    assert not Referral.objects.exists()

    emergency = client_for(head).post(
        url, {**body, "emergency_reason": "Bahaya langsung"}, content_type="application/json"
    )
    assert emergency.status_code == 201
    assert emergency.json()["sharing_basis"] == "emergency"
    consented = client_for(cm).post(
        url,
        {**body, "service_type": "shelter", "consent_given_by": "guardian", "consent_method": "written"},
        content_type="application/json",
    )
    assert consented.status_code == 201
    assert consented.json()["sharing_basis"] == "consent"


def test_an_agency_that_does_not_provide_the_service_is_refused_everywhere(cm, tenant, dinsos, disdik, client_for):
    case = make_case(cm, tenant)
    with pytest.raises(ValidationError) as caught:
        s.referral_create(actor=cm, case=case, agency=disdik, service_type="medical", consent=GUARDIAN)
    assert "agency" in caught.value.message_dict
    api = client_for(cm).post(
        f"{API}{case.pk}/referrals/",
        {
            "agency": str(disdik.pk),
            "service_type": "medical",
            "consent_given_by": "guardian",
            "consent_method": "written",
        },
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "agency" in api.json()["error"]["details"]
    assert not Referral.objects.exists()


def test_the_form_offers_only_agencies_that_provide_the_chosen_service(cm, tenant, dinsos, disdik, client_for):
    case = make_case(cm, tenant)
    client = client_for(cm)
    url = reverse("cases:case_referral_agencies", args=[case.pk])
    schooling = client.get(url, {"referral-service_type": t.ServiceType.SCHOOLING}).content.decode()
    assert str(disdik.pk) in schooling
    assert str(dinsos.pk) not in schooling
    rehab = client.get(url, {"referral-service_type": t.ServiceType.SOCIAL_REHAB}).content.decode()
    assert str(dinsos.pk) in rehab
    assert str(disdik.pk) not in rehab
    # A bound form with a service keeps only that service's providers.
    page = client.post(
        reverse("cases:case_refer", args=[case.pk]),
        {
            "referral-agency": disdik.pk,
            "referral-service_type": "social_rehab",
            "referral-consent_given_by": "guardian",
        },
    )
    assert 'id="id_referral-agency_error"' in page.content.decode()
    assert "---------" not in page.content.decode()
    assert not Referral.objects.exists()


def test_an_outsider_gets_404_from_the_agency_options(cm, tenant, outsider_head, client_for):
    case = make_case(cm, tenant)
    response = client_for(outsider_head).get(reverse("cases:case_referral_agencies", args=[case.pk]))
    assert response.status_code == 404
