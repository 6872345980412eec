"""Who may read the audit trail: supervisors (office head, system admin) of the same tenant.

Nobody may change or delete audit events, so no permission for that exists (and the model, the
queryset and on PostgreSQL a trigger refuse it).
"""

import rules

from sinergi.core.policy import in_same_tenant, is_supervisor, is_tenant_user

# The object is an AuditEvent or a Tenant (for lists and exports scoped to that tenant).
can_read_audit = is_tenant_user & is_supervisor & in_same_tenant

rules.add_perm("audit.view_auditevent", can_read_audit)
rules.add_perm("audit.export_auditevent", can_read_audit)
