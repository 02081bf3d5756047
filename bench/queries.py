"""How many SQL queries each page makes, in-process against a benchmark database.

    python -m bench.queries PLAN.json     # prints {page: queries or null}

PLAN names the pages (name, path, who reads it); DATABASE_URL is the database of the scale.
Each page is read twice with Django's test client and the second read is counted, so one-off
work (the first touch of a privileged session, caches filling) is not.
"""

import json
import logging
import os
import sys


def count(pages: list[dict], people: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import SignedInClient  # a role holder's sign-in includes the second factor

    users = get_user_model().objects.in_bulk([people[p["as"]] for p in pages if p.get("as")])
    counts = {}
    for page in pages:
        client = SignedInClient()
        if page.get("as"):
            client.force_login(users[people[page["as"]]])
        client.get(page["path"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
        counts[page["name"]] = len(captured) if response.status_code == 200 else None
    return counts


def main(argv: list[str]) -> int:
    import django

    os.environ["ALLOWED_HOSTS"] = "testserver"
    django.setup()
    # A page not built yet answers 404 (counted as None); Django would log each one.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    plan = json.load(open(argv[0]))
    print(json.dumps(count(plan["pages"], plan["people"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
