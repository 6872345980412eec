"""Tenant and agency permissions."""

import rules

from sinergi.core.policy import in_same_tenant, is_system_admin, is_tenant_user

rules.add_perm("tenants.view_tenant", is_tenant_user & in_same_tenant)
rules.add_perm("tenants.view_agency", is_tenant_user & in_same_tenant)
rules.add_perm("tenants.manage_agency", is_tenant_user & is_system_admin & in_same_tenant)
