from django.db import migrations

# Each web process keeps the sessions and readers it read (citizens/session_cache.py). These
# triggers tell every process, through PostgreSQL's NOTIFY (delivered on commit), what changed:
# "s:<keys>" for sessions, "u:<ids>" for readers, "*" for everyone (a change to groups or
# permissions, a TRUNCATE, or more keys than a notification holds).
FUNCTION = """
CREATE FUNCTION citizens_readers_changed() RETURNS trigger AS $$
DECLARE
    scope text := TG_ARGV[0];
    key_column text := TG_ARGV[1];
    keys text;
BEGIN
    IF scope <> '*' AND TG_OP <> 'TRUNCATE' THEN
        EXECUTE format(
            'SELECT string_agg(DISTINCT changed.key::text, '','') FROM (%s) changed(key)',
            CASE TG_OP
                WHEN 'INSERT' THEN format('SELECT %I FROM new_rows', key_column)
                WHEN 'DELETE' THEN format('SELECT %I FROM old_rows', key_column)
                ELSE format(
                    'SELECT %1$I FROM old_rows UNION ALL SELECT %1$I FROM new_rows', key_column
                )
            END
        ) INTO keys;
        IF keys IS NULL THEN
            RETURN NULL;
        END IF;
        -- A notification's payload holds at most 8000 bytes.
        IF length(keys) <= 7000 THEN
            PERFORM pg_notify('citizens_readers', scope || ':' || keys);
            RETURN NULL;
        END IF;
    END IF;
    PERFORM pg_notify('citizens_readers', '*');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

# (table, scope, the column naming the session or reader)
KEYED = [
    ("citizens_session", "s", "session_key"),
    ("citizens_user", "u", "id"),
    ("citizens_user_groups", "u", "user_id"),
    ("citizens_user_user_permissions", "u", "user_id"),
    ("mfa_authenticator", "u", "user_id"),
    ("citizens_notification", "u", "recipient_id"),
]
# Changes here may concern every reader (a role's permissions, a group's name).
EVERYONE = ["auth_group", "auth_group_permissions", "auth_permission", "django_content_type"]


def _triggers() -> str:
    statements = []
    for table, scope, column in KEYED:
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            statements.append(
                f"CREATE TRIGGER citizens_readers_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {tables} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION citizens_readers_changed('{scope}', '{column}');"
            )
        statements.append(
            f"CREATE TRIGGER citizens_readers_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION citizens_readers_changed('*', '');"
        )
    for table in EVERYONE:
        statements.append(
            f"CREATE TRIGGER citizens_readers_all AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION citizens_readers_changed('*', '');"
        )
    return "\n".join(statements)


def _drop_triggers() -> str:
    statements = [
        f"DROP TRIGGER citizens_readers_{event} ON {table};"
        for table, _scope, _column in KEYED
        for event in ("insert", "update", "delete", "truncate")
    ]
    statements += [f"DROP TRIGGER citizens_readers_all ON {table};" for table in EVERYONE]
    return "\n".join([*statements, "DROP FUNCTION citizens_readers_changed();"])


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0009_session"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION + _triggers(), _drop_triggers()),
    ]
