from django.db import migrations

# A proposal's status history is the programme's record of decisions: rows are added, never
# changed or removed. The one update allowed is Django clearing `actor` when that person's
# account is deleted.
APPEND_ONLY = """
CREATE FUNCTION proposals_status_history_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.proposal_id, NEW.from_status, NEW.to_status, NEW.note, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.proposal_id, OLD.from_status, OLD.to_status, OLD.note, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the proposal status history is append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER proposals_status_history_append_only
BEFORE UPDATE OR DELETE ON proposals_proposalstatuschange
FOR EACH ROW EXECUTE FUNCTION proposals_status_history_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER proposals_status_history_append_only ON proposals_proposalstatuschange;
DROP FUNCTION proposals_status_history_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
    ]
