import factory

from sinergi.regions.models import District, Province, Regency, Village
from sinergi.tenants.models import Agency, Tenant


def ensure_regency(code: str, name: str) -> Regency:
    """Minimal region rows for tests (the real table comes from `manage.py load_regions`)."""
    province, _ = Province.objects.get_or_create(code=code[:2], defaults={"name": f"Provinsi {code[:2]}"})
    regency, _ = Regency.objects.get_or_create(code=code, defaults={"province": province, "name": name})
    for d in (1, 2, 3):
        district, _ = District.objects.get_or_create(
            code=f"{code}.{d:02d}", defaults={"regency": regency, "name": f"Kecamatan {d} {name}"}
        )
        for v in (1, 2):
            Village.objects.get_or_create(
                code=f"{district.code}.{v + 1000 * v:04d}"[: len(district.code) + 5],
                defaults={"district": district, "name": f"Desa {d}-{v}", "kind": Village.Kind.DESA},
            )
    return regency


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("code",)

    code = "64.02"
    name = factory.LazyAttribute(lambda o: f"Kabupaten {o.code}")
    regency = factory.LazyAttribute(lambda o: ensure_regency(o.code, o.name))
    office_name = "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"
    office_short_name = "DPPPA"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    tenant = factory.SubFactory(TenantFactory)
    kind = Agency.Kind.UPTD_PPA
    name = factory.Sequence(lambda n: f"Agency {n}")
    short_name = factory.Sequence(lambda n: f"AG{n}")
