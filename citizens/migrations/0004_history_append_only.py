from django.db import migrations

# The status history is the programme's record of decisions: rows are added, never changed or
# removed. The one update allowed is Django clearing `actor` when that person's account is deleted.
APPEND_ONLY = """
CREATE FUNCTION citizens_status_history_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.application_id, NEW.from_status, NEW.to_status,
            NEW.note_to_applicant, NEW.internal_note, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.application_id, OLD.from_status, OLD.to_status,
            OLD.note_to_applicant, OLD.internal_note, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the application status history is append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER citizens_status_history_append_only
BEFORE UPDATE OR DELETE ON citizens_applicationstatuschange
FOR EACH ROW EXECUTE FUNCTION citizens_status_history_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER citizens_status_history_append_only ON citizens_applicationstatuschange;
DROP FUNCTION citizens_status_history_append_only();
"""

class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0003_applications_and_notifications"),
    ]

    operations = [
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
    ]
