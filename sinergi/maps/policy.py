"""Who may read the office's data map, service performance and child population (maps app).

Every view, API endpoint and export of the internal map goes through these permissions; the object is
the tenant whose figures are read (never another regency's). The figures are aggregates only: nobody
reaches a case from here.

- `maps.view_office_map`: the case team (case managers), the office head and analysts.
- `maps.view_exact_counts`: the case team and the office head. Analysts get the public small-count
  protection below kecamatan level (sinergi.maps.disclosure), exact counts per kecamatan.
- `maps.view_service_performance`: the same readers as the map.
- `maps.import_child_population`: the office head and the system administrator.
"""

import rules

from sinergi.accounts.roles import Role
from sinergi.core.policy import has_role, in_same_tenant, is_tenant_user

is_map_reader = has_role(Role.OFFICE_HEAD, Role.CASE_MANAGER, Role.ANALYST)
is_exact_reader = has_role(Role.OFFICE_HEAD, Role.CASE_MANAGER)
is_population_importer = has_role(Role.OFFICE_HEAD, Role.SYSTEM_ADMIN)

rules.add_perm("maps.view_office_map", is_tenant_user & in_same_tenant & is_map_reader)
rules.add_perm("maps.view_exact_counts", is_tenant_user & in_same_tenant & is_exact_reader)
rules.add_perm("maps.view_service_performance", is_tenant_user & in_same_tenant & is_map_reader)
rules.add_perm("maps.import_child_population", is_tenant_user & in_same_tenant & is_population_importer)
