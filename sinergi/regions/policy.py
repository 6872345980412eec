"""Region permissions. The code list itself is public reference data; inside the app a user picks
kecamatan and desa/kelurahan of their own kabupaten/kota only."""

import rules

from sinergi.core.policy import is_tenant_user


@rules.predicate
def region_in_user_regency(user, region) -> bool:
    """No object: any region. A District/Village/Regency: it lies in the user's tenant regency."""
    if region is None:
        return True
    regency_code = user.tenant.regency_id if user.tenant_id else None
    code = getattr(region, "code", None)
    if not regency_code or not code:
        return False
    return code == regency_code or code.startswith(f"{regency_code}.")


rules.add_perm("regions.view_region", is_tenant_user & region_in_user_regency)
