import factory

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

# The agency kind a user of each role usually works in.
ROLE_AGENCY_KIND = {
    Role.SYSTEM_ADMIN: Agency.Kind.OFFICE,
    Role.OFFICE_HEAD: Agency.Kind.OFFICE,
    Role.CASE_MANAGER: Agency.Kind.UPTD_PPA,
    Role.SERVICE_PROVIDER: Agency.Kind.DINSOS,
    Role.SATGAS_VOLUNTEER: Agency.Kind.SATGAS_PPA,
    Role.TASKFORCE_SECRETARIAT: Agency.Kind.BAPPEDA,
    Role.OPD_EVIDENCE_OFFICER: Agency.Kind.DISDIK,
    Role.COMMUNICATIONS_OFFICER: Agency.Kind.DISKOMINFO,
    Role.ANALYST: Agency.Kind.BAPPEDA,
}

TEST_PASSWORD = "Sinergi-test-Pa55word!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # A neutral name: a random real one ("Dt. Bambang Suryatmi") can contain the fictional victim or
    # perpetrator names that tests assert are absent from a page.
    full_name = factory.Sequence(lambda n: f"Petugas Uji {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    role = Role.CASE_MANAGER
    tenant = factory.SubFactory(TenantFactory)
    agency = factory.LazyAttribute(
        lambda o: AgencyFactory(tenant=o.tenant, kind=ROLE_AGENCY_KIND.get(o.role, Agency.Kind.OTHER))
    )
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
