"""Tenant and agency permissions."""

import rules

from sinergi.core.policy import in_same_tenant, is_office_head, is_system_admin, is_tenant_user

rules.add_perm("tenants.view_tenant", is_tenant_user & in_same_tenant)
rules.add_perm("tenants.view_agency", is_tenant_user & in_same_tenant)
rules.add_perm("tenants.manage_agency", is_tenant_user & is_system_admin & in_same_tenant)
# The tenant's own settings (letterhead, numbering, signatories, zone, thresholds): its system admin or
# office head, never another regency's.
rules.add_perm("tenants.change_tenant_settings", is_tenant_user & in_same_tenant & (is_system_admin | is_office_head))
# Mail sent to an agency's contact address (sinergi.notifications.mailer, owner=agency).
rules.add_perm("tenants.view_agency_mail", is_tenant_user & in_same_tenant & (is_system_admin | is_office_head))
