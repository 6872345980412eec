"""Publications permissions: the PPRA checker, the tenant's rule additions, media partners and their
newsroom tokens. The object is the tenant (or a partner, which belongs to one)."""

import rules

from sinergi.accounts.roles import Role
from sinergi.core.policy import has_role, in_same_tenant, is_tenant_user

# Who writes or reviews texts about children: communications officers (Diskominfo, DP3A humas,
# schools) and the protection office's case team and head.
is_checker_user = has_role(Role.COMMUNICATIONS_OFFICER, Role.OFFICE_HEAD, Role.CASE_MANAGER, Role.SYSTEM_ADMIN)
is_publications_admin = has_role(Role.OFFICE_HEAD, Role.SYSTEM_ADMIN)

rules.add_perm("publications.use_checker", is_tenant_user & in_same_tenant & is_checker_user)
rules.add_perm("publications.change_rules", is_tenant_user & in_same_tenant & is_publications_admin)
rules.add_perm("publications.view_mediapartner", is_tenant_user & in_same_tenant & is_checker_user)
rules.add_perm("publications.manage_mediapartner", is_tenant_user & in_same_tenant & is_publications_admin)
