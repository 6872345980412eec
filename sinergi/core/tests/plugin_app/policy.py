"""Who sees visits: the office head and case managers of the same tenant; the office head manages files."""

import rules

from sinergi.core.policy import in_same_tenant, is_case_manager, is_office_head, is_tenant_user

can_see_visits = is_tenant_user & (is_office_head | is_case_manager)

# The object is the tenant (lists) or a Visit.
rules.add_perm("plugin_app.view_visit_list", is_tenant_user & is_office_head & in_same_tenant)
rules.add_perm("plugin_app.view_visit", can_see_visits & in_same_tenant)
# The documents contract (documents/policy.py): view_/manage_<model>_documents on the owner.
rules.add_perm("plugin_app.view_visit_documents", can_see_visits & in_same_tenant)
rules.add_perm("plugin_app.manage_visit_documents", is_tenant_user & is_office_head & in_same_tenant)
