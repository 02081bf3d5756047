"""The benchmark's data set: a city's programme at "city" scale, built in SQL.

Everything is generated inside Postgres with INSERT ... SELECT over generate_series, so a full
build takes a minute or two rather than hours of ORM saves. Every "random" choice is a hash of
the row number (`pg_temp.u(i, salt)`, uniform in [0, 1)), so two builds give the same rows;
dates are offsets from the day of the build, so "upcoming" meetings stay upcoming.

Skew: cities, initiatives and meetings are picked with a power of a uniform number, so a few
cities carry most of the activity and many are quiet, as in a real programme.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import connection

SCALES = {"full": 1.0, "small": 0.1}
PASSWORD = "bench-password-not-secret"
FIELDS = [
    "economic",
    "cultural",
    "scientific",
    "education",
    "tourism",
    "handicrafts",
    "health",
    "environment",
    "urban",
    "technology",
    "sports",
    "youth",
]
# Applications that are not approved, in every other status, in these shares (out of 40).
OTHER_STATUSES = [
    ("draft", 10),
    ("submitted", 14),
    ("needs_changes", 4),
    ("rejected", 8),
    ("withdrawn", 4),
]


@dataclass(frozen=True)
class Sizes:
    citizens: int
    cities: int
    initiatives: int
    meetings: int
    invitations: int
    memberships: int
    contacts: int
    fanout: int
    coordinators: int
    proposals: int
    supports: int

    @property
    def diplomats(self) -> int:
        return self.citizens * 6 // 10

    @classmethod
    def at(cls, factor: float) -> "Sizes":
        def n(full: int, least: int = 1) -> int:
            return max(int(full * factor), least)

        return cls(
            citizens=n(100_000, 50),
            cities=n(200, 10) if factor >= 0.1 else max(int(200 * factor), 5),
            initiatives=n(10_000, 10),
            meetings=n(50_000, 20),
            invitations=n(500_000, 100),
            memberships=n(100_000, 20),
            contacts=n(5_000, 10),
            fanout=n(10_000, 10),
            coordinators=n(100, 2),
            # Isfahan received some 200 proposals when it opened its programme: about as many
            # for each sister city over the programme's years.
            proposals=n(40_000, 20),
            supports=n(200_000, 40),
        )


def version() -> str:
    """Changes when this generator changes: the stored data set is then built again. (New
    migrations are applied to a stored data set, as to a production database.)"""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


FUNCTIONS = """
CREATE OR REPLACE FUNCTION pg_temp.u(i bigint, salt int) RETURNS float8 AS $$
    SELECT (hashint8(i * 1009 + salt)::bigint & 2147483647) / 2147483648.0
$$ LANGUAGE sql IMMUTABLE;
-- The user id of the n-th diplomat (0-based): citizens with (id - 1) % 10 < 6 are diplomats.
CREATE OR REPLACE FUNCTION pg_temp.diplomat(n bigint) RETURNS bigint AS $$
    SELECT (n / 6) * 10 + n % 6 + 1
$$ LANGUAGE sql IMMUTABLE;
"""


def build(sizes: Sizes, log=print) -> dict:
    """Fill the (freshly migrated, empty) database; return the people and places the benchmark
    uses."""
    import time

    password = make_password(PASSWORD)  # one hash, shared by every generated account
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(FUNCTIONS)
        for name, step in STEPS:
            started = time.monotonic()
            step(cursor, sizes, password)
            log(f"  {name:<28} {time.monotonic() - started:6.1f} s")
        _reset_sequences(cursor)
        cursor.execute("ANALYZE")
    return _special_people(sizes, password)


def _reset_sequences(cursor) -> None:
    cursor.execute(
        """SELECT table_name FROM information_schema.columns
           WHERE table_schema = 'public' AND column_name = 'id'
             AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')""",
        {},
    )
    for (table,) in cursor.fetchall():
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"GREATEST((SELECT max(id) FROM {table}), 1))"
        )


def _users(cursor, s: Sizes, password: str) -> None:
    cursor.execute(
        """
        INSERT INTO citizens_user (id, password, is_superuser, first_name, last_name, is_staff,
            is_active, date_joined, email, preferred_language, diplomat_since)
        SELECT i, %(password)s, false,
            (ARRAY['Sara','Reza','Maryam','Ali','Neda','Hossein','Leila','Omid','Parisa','Kian'])
                [1 + i %% 10],
            (ARRAY['Ahmadi','Karimi','Rahimi','Moradi','Hosseini','Jafari','Sadeghi','Tehrani',
                   'Rostami'])[1 + (i / 10) %% 9],
            false, true, current_date - (30 + pg_temp.u(i, 1) * 1000)::int,
            'citizen' || i || '@bench.example.org',
            CASE WHEN pg_temp.u(i, 2) < 0.7 THEN 'fa' ELSE 'en' END,
            CASE WHEN (i - 1) %% 10 < 6 THEN current_date - (1 + pg_temp.u(i, 3) * 700)::int END
        FROM generate_series(1, %(n)s) i
        """,
        {"password": password, "n": s.citizens},
    )
    cursor.execute(
        """INSERT INTO account_emailaddress (email, verified, "primary", user_id)
           SELECT email, true, true, id FROM citizens_user""",
        {},
    )


def _applications(cursor, s: Sizes, password: str) -> None:
    cases, low = [], 0
    for status, share in OTHER_STATUSES:
        cases.append(
            f"WHEN ((i - 1) / 10 * 4 + (i - 1) %% 10 - 6) %% 40 < {low + share} THEN '{status}'"
        )
        low += share
    status = f"CASE WHEN (i - 1) %% 10 < 6 THEN 'approved' {' '.join(cases)} END"
    cursor.execute(
        f"""
        INSERT INTO citizens_diplomatapplication (id, user_id, status, full_name_fa,
            full_name_latin, date_of_birth, phone, district, occupation, education,
            fields_of_expertise, motivation, hours_per_month, cv, photo, created_at, updated_at,
            submitted_at, decided_at, public_id)
        SELECT i, i, st, 'سارا احمدی ' || i, u.first_name || ' ' || u.last_name,
            DATE '1960-01-01' + (pg_temp.u(i, 4) * 16000)::int,
            '0913' || lpad((i %% 10000000)::text, 7, '0'), 1 + i %% 15, 'Architect', 'master',
            ARRAY[(%(fields)s::text[])[1 + i %% 12], (%(fields)s::text[])[1 + (i / 12) %% 12]],
            repeat('I want to help revive our relations with our sister cities. ', 4),
            5 + i %% 20, '', '', u.date_joined, u.date_joined,
            CASE WHEN st <> 'draft' THEN u.date_joined + interval '1 day' END,
            CASE WHEN st IN ('approved', 'rejected', 'needs_changes')
                 THEN u.date_joined + interval '10 days' END,
            gen_random_uuid()
        FROM (SELECT i, {status} AS st FROM generate_series(1, %(n)s) i) a
        JOIN citizens_user u ON u.id = a.i
        """,
        {"n": s.citizens, "fields": FIELDS},
    )
    cursor.execute(
        """
        INSERT INTO citizens_diplomatapplication_preferred_cities (diplomatapplication_id,
            sistercity_id)
        SELECT DISTINCT a.id, 1 + floor(%(cities)s * pg_temp.u(a.id * 3 + k, 5) ^ 3)::int
        FROM citizens_diplomatapplication a, generate_series(0, a.id %% 3) k
        """,
        {"cities": s.cities},
    )
    cursor.execute(
        """
        INSERT INTO citizens_languageskill (application_id, language, level)
        SELECT a.id, (ARRAY['en','it','fr','de','zh-hans','ru','es','ar','tr','ja'])
                     [1 + (a.id + k * 3) %% 10],
               (ARRAY['basic','intermediate','fluent','native'])[1 + (a.id + k) %% 4]
        FROM citizens_diplomatapplication a, generate_series(0, a.id %% 2) k
        """,
        {},
    )
    # The history: each submitted application's submission, and each decision.
    cursor.execute(
        """
        INSERT INTO citizens_applicationstatuschange (application_id, actor_id, from_status,
            to_status, note_to_applicant, internal_note, created_at)
        SELECT id, user_id, 'draft', 'submitted', '', '', submitted_at
        FROM citizens_diplomatapplication WHERE submitted_at IS NOT NULL
        UNION ALL
        SELECT id, NULL, 'submitted', CASE WHEN status = 'withdrawn' THEN 'withdrawn'
                                           ELSE status END,
            'Thank you.', '', coalesce(decided_at, submitted_at + interval '2 days')
        FROM citizens_diplomatapplication WHERE status NOT IN ('draft', 'submitted')
        """,
        {},
    )


def _cities(cursor, s: Sizes, password: str) -> None:
    cursor.execute(
        """
        INSERT INTO sistercities_sistercity (id, slug, name_en, name_fa, country_en, country_fa,
            country_code, established_year, status, latitude, longitude, cooperation_fields,
            description_en, description_fa, partner_contact_name, partner_contact_email,
            partner_contact_public, source)
        SELECT i, 'city-' || lpad(i::text, 3, '0'), 'Sister City ' || i, 'شهر خواهر ' || i,
            'Country ' || (1 + i %% 60), 'کشور ' || (1 + i %% 60), 'IT',
            1960 + (pg_temp.u(i, 6) * 64)::int,
            (ARRAY['active','reviving','dormant','suspended'])[1 + (i %% 7 %% 4)],
            round((-60 + pg_temp.u(i, 7) * 130)::numeric, 5),
            round((-170 + pg_temp.u(i, 8) * 340)::numeric, 5),
            ARRAY[(%(fields)s::text[])[1 + i %% 12], (%(fields)s::text[])[1 + (i + 5) %% 12]],
            repeat('A partner city with a long history of exchange. ', 6),
            repeat('شهری همکار با پیشینه‌ای دراز از همکاری. ', 6),
            'Partner office', 'partner' || i || '@bench.example.org', i %% 2 = 0,
            'Generated for the benchmark'
        FROM generate_series(1, %(n)s) i
        """,
        {"n": s.cities, "fields": FIELDS},
    )
    cursor.execute(
        """
        INSERT INTO sistercities_contactlog (city_id, date, kind, note, created_at)
        SELECT 1 + floor(%(cities)s * pg_temp.u(i, 9) ^ 3)::int,
            current_date - (pg_temp.u(i, 10) * 1500)::int,
            (ARRAY['visit','call','letter','agreement_renewed','video_meeting','other'])
                [1 + i %% 6],
            'Contact ' || i, now() - interval '1 day'
        FROM generate_series(1, %(n)s) i
        """,
        {"n": s.contacts, "cities": s.cities},
    )


def _staff(cursor, s: Sizes, password: str) -> None:
    """Coordinators (who run the initiatives), one member of staff and one city official."""
    cursor.execute(
        """
        INSERT INTO citizens_user (id, password, is_superuser, first_name, last_name, is_staff,
            is_active, date_joined, email, preferred_language)
        SELECT %(base)s + k, %(password)s, false, 'Neda', 'Karimi', true, true,
            current_date - 800, 'coordinator' || k || '@bench.example.org', 'en'
        FROM generate_series(1, %(n)s) k
        UNION ALL
        SELECT %(base)s + %(n)s + 1, %(password)s, false, 'Maryam', 'Rahimi', true, true,
            current_date - 800, 'staff@bench.example.org', 'en'
        UNION ALL
        SELECT %(base)s + %(n)s + 2, %(password)s, false, 'Omid', 'Tehrani', false, true,
            current_date - 800, 'official@bench.example.org', 'en'
        """,
        {"base": s.citizens, "n": s.coordinators, "password": password},
    )
    cursor.execute(
        """INSERT INTO account_emailaddress (email, verified, "primary", user_id)
           SELECT email, true, true, id FROM citizens_user WHERE id > %s""",
        [s.citizens],
    )
    cursor.execute(
        """
        INSERT INTO citizens_user_groups (user_id, group_id)
        SELECT u.id, g.id FROM citizens_user u JOIN auth_group g ON g.name = CASE
            WHEN u.email LIKE 'coordinator%%' THEN 'Initiative coordinators'
            WHEN u.email LIKE 'staff@%%' THEN 'Municipal staff'
            WHEN u.email LIKE 'official@%%' THEN 'City officials' END
        WHERE u.id > %s
        """,
        [s.citizens],
    )


def _initiatives(cursor, s: Sizes, password: str) -> None:
    # The last initiative is the fan-out's: its members are the meeting's invitees.
    cursor.execute(
        """
        INSERT INTO initiatives_initiative (id, slug, title_en, title_fa, description_en,
            description_fa, field, status, starts_on, ends_on, created_at, updated_at,
            coordinator_id)
        SELECT i, 'initiative-' || i, 'Joint initiative ' || i, 'طرح مشترک ' || i,
            repeat('Craftspeople, students and firms of both cities work together. ', 3),
            repeat('هنرمندان، دانشجویان و شرکت‌های دو شهر با هم کار می‌کنند. ', 3),
            (%(fields)s::text[])[1 + i %% 12],
            (ARRAY['proposed','active','active','active','paused','completed'])[1 + i %% 6],
            current_date - (pg_temp.u(i, 11) * 900)::int, NULL, now() - interval '100 days',
            now() - interval '10 days', %(citizens)s + 1 + i %% %(coordinators)s
        FROM generate_series(1, %(n)s) i
        """,
        {
            "n": s.initiatives,
            "fields": FIELDS,
            "citizens": s.citizens,
            "coordinators": s.coordinators,
        },
    )
    cursor.execute(
        """
        INSERT INTO initiatives_initiative_cities (initiative_id, sistercity_id)
        SELECT DISTINCT i, 1 + floor(%(cities)s * pg_temp.u(i * 2 + k, 12) ^ 3)::int
        FROM generate_series(1, %(n)s) i, generate_series(0, (i %% 3 = 0)::int) k
        """,
        {"n": s.initiatives, "cities": s.cities},
    )
    cursor.execute(
        """
        INSERT INTO initiatives_membership (initiative_id, user_id, state, requested_at,
            decided_at)
        SELECT DISTINCT ON (ini, usr) ini, usr,
            (ARRAY['accepted','accepted','accepted','requested','declined','left'])[1 + m %% 6],
            now() - interval '60 days', now() - interval '50 days'
        FROM (SELECT m, 1 + floor((%(n)s - 1) * pg_temp.u(m, 13) ^ 2)::int AS ini,
                     pg_temp.diplomat(floor(pg_temp.u(m, 14) * %(diplomats)s)::bigint) AS usr
              FROM generate_series(1, %(members)s) m) x
        """,
        {"n": s.initiatives, "members": s.memberships, "diplomats": s.diplomats},
    )
    # The fan-out initiative: `fanout` accepted members, all different diplomats.
    cursor.execute(
        """
        INSERT INTO initiatives_membership (initiative_id, user_id, state, requested_at,
            decided_at)
        SELECT %(n)s, pg_temp.diplomat((k * 7) %% %(diplomats)s), 'accepted',
            now() - interval '60 days', now() - interval '50 days'
        FROM generate_series(0, %(fanout)s - 1) k
        ON CONFLICT DO NOTHING
        """,
        {"n": s.initiatives, "fanout": s.fanout, "diplomats": s.diplomats},
    )


def _meetings(cursor, s: Sizes, password: str) -> None:
    # One in five meetings is a city's, the rest an initiative's; half are past, half to come.
    cursor.execute(
        """
        INSERT INTO initiatives_meeting (id, title, kind, starts_at, ends_at, timezone, place,
            online_link, agenda, capacity, status, sequence, uid, created_at, updated_at,
            city_id, initiative_id, organiser_id)
        SELECT i, 'Meeting ' || i,
            (ARRAY['board','working_session','public_event'])[1 + i %% 3], st,
            st + interval '2 hours', 'Asia/Tehran', 'City Hall, room ' || (1 + i %% 20), '',
            'Introductions; progress; next steps.', NULL,
            CASE WHEN i %% 50 = 0 THEN 'cancelled' ELSE 'scheduled' END, 0,
            'meeting-bench-' || i, now() - interval '30 days', now() - interval '30 days',
            CASE WHEN i %% 5 = 0 THEN 1 + floor(%(cities)s * pg_temp.u(i, 15) ^ 3)::int END,
            CASE WHEN i %% 5 <> 0 THEN 1 + floor((%(initiatives)s - 1)
                                                 * pg_temp.u(i, 16) ^ 2)::int END,
            %(citizens)s + 1 + i %% %(coordinators)s
        FROM (SELECT i, date_trunc('day', now()) + (pg_temp.u(i, 17) * 900 - 450) * interval
                   '1 day' + interval '9 hours' AS st
              FROM generate_series(1, %(n)s - 1) i) m
        """,
        {
            "n": s.meetings,
            "cities": s.cities,
            "initiatives": s.initiatives,
            "citizens": s.citizens,
            "coordinators": s.coordinators,
        },
    )
    # The fan-out's meeting: next month, of the fan-out initiative, nobody invited yet.
    cursor.execute(
        """
        INSERT INTO initiatives_meeting (id, title, kind, starts_at, ends_at, timezone, place,
            online_link, agenda, status, sequence, uid, created_at, updated_at, initiative_id,
            organiser_id)
        VALUES (%(n)s, 'Annual assembly of citizen diplomats', 'board',
            date_trunc('day', now()) + interval '30 days 9 hours',
            date_trunc('day', now()) + interval '30 days 12 hours', 'Asia/Tehran',
            'City Hall', '', 'Everyone together.', 'scheduled', 0, 'meeting-bench-fanout',
            now(), now(), %(initiative)s,
            (SELECT coordinator_id FROM initiatives_initiative WHERE id = %(initiative)s))
        """,
        {"n": s.meetings, "initiative": s.initiatives},
    )


def _invitations(cursor, s: Sizes, password: str) -> None:
    # Each meeting gets a share of the invitations by a heavy-tailed weight; its invitees are
    # distinct diplomats (a stride prime to their number walks through them without repeats).
    cursor.execute("DROP TABLE IF EXISTS pg_temp.meeting_share", {})
    cursor.execute(
        """
        CREATE TEMP TABLE meeting_share AS
        WITH w AS (SELECT id, pg_temp.u(id, 18) ^ 6 AS w FROM initiatives_meeting
                   WHERE id < %(fanout_meeting)s),
        c AS (SELECT id, floor(%(n)s * w / sum(w) OVER ())::int AS k FROM w)
        SELECT id, LEAST(k + CASE WHEN id = (SELECT id FROM c ORDER BY k DESC, id LIMIT 1)
                         THEN %(n)s - (SELECT sum(k) FROM c) ELSE 0 END, %(diplomats)s) AS k
        FROM c
        """,
        {"n": s.invitations, "fanout_meeting": s.meetings, "diplomats": s.diplomats},
    )
    cursor.execute(
        """
        INSERT INTO initiatives_invitation (meeting_id, invitee_id, state, created_at,
            sent_at, sequence_sent, responded_at, invited_by_id)
        SELECT m.id, pg_temp.diplomat((m.id * 7919 + j * 10007) %% %(diplomats)s),
            CASE WHEN x.starts_at < now() OR j %% 3 = 0
                 THEN (ARRAY['accepted','declined','tentative','sent'])[1 + j %% 4]
                 ELSE 'sent' END,
            x.created_at, x.created_at, 0,
            CASE WHEN x.starts_at < now() OR j %% 3 = 0 THEN x.created_at + interval '1 day' END,
            x.organiser_id
        FROM meeting_share m JOIN initiatives_meeting x ON x.id = m.id,
             generate_series(0, m.k - 1) j
        """,
        {"diplomats": s.diplomats},
    )
    cursor.execute("UPDATE initiatives_invitation SET responded_at = NULL WHERE state = 'sent'")


def _notifications(cursor, s: Sizes, password: str) -> None:
    """Each invitation told its invitee; each decided application told its applicant."""
    cursor.execute(
        """
        INSERT INTO citizens_notification (recipient_id, kind, context, url, created_at,
            read_at)
        SELECT v.invitee_id, 'meeting_invitation',
            jsonb_build_object('meeting_id', m.id, 'meeting', m.title,
                'starts_at', m.starts_at, 'host', 'Joint initiative', 'host_fa', 'طرح مشترک'),
            '/meetings/' || m.id || '/', v.created_at,
            CASE WHEN v.id %% 4 <> 0 THEN v.created_at + interval '1 day' END
        FROM initiatives_invitation v JOIN initiatives_meeting m ON m.id = v.meeting_id
        UNION ALL
        SELECT user_id, 'application_' || status, '{}'::jsonb, '/me/', decided_at,
            decided_at + interval '1 day'
        FROM citizens_diplomatapplication WHERE status IN ('approved', 'rejected')
        """,
        {},
    )


# Proposals by status, in these shares (out of 20).
PROPOSAL_STATUSES = (
    ["draft"] * 3
    + ["submitted"] * 7
    + ["changes_requested"] * 2
    + ["accepted"] * 3
    + ["declined"] * 3
    + ["withdrawn"] * 2
)


def _proposals(cursor, s: Sizes, password: str) -> None:
    """Proposals by diplomats for one or two cities (the busy cities more often), half of them
    in Persian; their status history, and the support of other diplomats."""
    cursor.execute(
        """
        INSERT INTO proposals_proposal (id, author_id, title, field, summary, achieves,
            needs_people, budget, partners, public_id, attachment, status, initiative_id,
            created_at, updated_at, submitted_at, decided_at)
        SELECT i, pg_temp.diplomat(floor(pg_temp.u(i, 30) * %(diplomats)s)::bigint),
            CASE WHEN i %% 2 = 0 THEN 'Proposal ' || i ELSE 'پیشنهاد ' || i END,
            (%(fields)s::text[])[1 + i %% 12],
            repeat('Craftspeople and students of both cities would meet and work together. ', 4),
            'Two exchanges a year and a joint exhibition.', 'Six volunteers.',
            (ARRAY['none','small','medium','large'])[1 + i %% 4], ARRAY['university']::varchar[],
            md5('proposal-' || i)::uuid, '', st, NULL,
            now() - interval '200 days' + (i %% 150) * interval '1 day',
            now() - interval '10 days',
            CASE WHEN st NOT IN ('draft', 'withdrawn')
                 THEN now() - interval '190 days' + (i %% 150) * interval '1 day' END,
            CASE WHEN st IN ('accepted', 'declined', 'changes_requested')
                 THEN now() - interval '180 days' + (i %% 150) * interval '1 day' END
        FROM (SELECT i, (%(statuses)s::text[])[1 + floor(pg_temp.u(i, 31) * 20)::int] AS st
              FROM generate_series(1, %(n)s) i) p
        """,
        {
            "n": s.proposals,
            "diplomats": s.diplomats,
            "fields": FIELDS,
            "statuses": PROPOSAL_STATUSES,
        },
    )
    cursor.execute(
        """
        INSERT INTO proposals_proposal_cities (proposal_id, sistercity_id)
        SELECT DISTINCT i, 1 + floor(%(cities)s * pg_temp.u(i * 2 + k, 32) ^ 2)::int
        FROM generate_series(1, %(n)s) i, generate_series(0, (i %% 4 = 0)::int) k
        """,
        {"n": s.proposals, "cities": s.cities},
    )
    cursor.execute(
        """
        INSERT INTO proposals_proposalstatuschange (proposal_id, actor_id, from_status,
            to_status, note, created_at)
        SELECT id, author_id, 'draft', CASE WHEN status = 'withdrawn' THEN 'withdrawn'
                                            ELSE 'submitted' END, '', created_at
        FROM proposals_proposal WHERE status <> 'draft'
        UNION ALL
        SELECT id, %(staff)s, 'submitted', status,
            CASE WHEN status = 'accepted' THEN '' ELSE 'Please say who would host it.' END,
            decided_at
        FROM proposals_proposal WHERE status IN ('accepted', 'declined', 'changes_requested')
        """,
        {"staff": s.citizens + s.coordinators + 1},
    )
    # Support gathers on a few proposals; never the author's own, never twice.
    cursor.execute(
        """
        INSERT INTO proposals_support (proposal_id, supporter_id, created_at)
        SELECT DISTINCT ON (x.pro, x.usr) x.pro, x.usr, now() - interval '100 days'
        FROM (SELECT 1 + floor((%(n)s - 1) * pg_temp.u(k, 33) ^ 3)::int AS pro,
                     pg_temp.diplomat(floor(pg_temp.u(k, 34) * %(diplomats)s)::bigint) AS usr
              FROM generate_series(1, %(supports)s) k) x
        JOIN proposals_proposal p ON p.id = x.pro
        WHERE p.status NOT IN ('draft') AND p.author_id <> x.usr
        """,
        {"n": s.proposals, "supports": s.supports, "diplomats": s.diplomats},
    )


STEPS = [
    ("citizens", _users),
    ("sister cities", _cities),
    ("applications", _applications),
    ("staff and coordinators", _staff),
    ("initiatives and members", _initiatives),
    ("meetings", _meetings),
    ("invitations", _invitations),
    ("notifications", _notifications),
    ("proposals and supports", _proposals),
]


def _special_people(s: Sizes, password: str) -> dict:
    """Two-factor set up for the privileged accounts; the people and places pages are read as."""
    from allauth.mfa.totp.internal.auth import TOTP

    from citizens.models import User

    for user in User.objects.filter(pk__gt=s.citizens):
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    with connection.cursor() as cursor:
        # The busiest diplomat's inbox and profile; the busiest city's page.
        cursor.execute(
            "SELECT invitee_id FROM initiatives_invitation GROUP BY 1 ORDER BY count(*) DESC, 1 "
            "LIMIT 1"
        )
        (diplomat,) = cursor.fetchone()
        cursor.execute(
            "SELECT c.slug FROM sistercities_sistercity c LEFT JOIN initiatives_meeting m "
            "ON m.city_id = c.id GROUP BY c.id ORDER BY count(m.id) DESC, c.id LIMIT 1"
        )
        (city,) = cursor.fetchone()
        cursor.execute("SELECT organiser_id FROM initiatives_meeting WHERE id = %s", [s.meetings])
        (coordinator,) = cursor.fetchone()
    return {
        "diplomat": diplomat,
        "staff": s.citizens + s.coordinators + 1,
        "official": s.citizens + s.coordinators + 2,
        "coordinator": coordinator,
        "city": city,
        "fanout_meeting": s.meetings,
        "fanout_invitees": s.fanout,
    }
