"""The TRUNCATE escape of the append-only trigger (0002) is for the table owner only.

`sinergi.audit_allow_truncate` is a custom setting any session may SET, so in 0002 any role holding
TRUNCATE (e.g. an application role granted ALL) could empty the audit trail. Now the escape also needs
the current role to be (a member of) the table's owner: that role could drop the trigger anyway, and it
is the role Django's test runner flushes with. The application's own role never gets the escape.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('sinergi.audit_allow_truncate', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PREVIOUS = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('sinergi.audit_allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL contains a literal '%' that must not be read as a placeholder.
        schema_editor.execute(FUNCTION, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditevent_view_permission_only")]
    operations = [migrations.RunPython(forwards, backwards)]
