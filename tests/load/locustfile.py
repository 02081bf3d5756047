"""The load test's people (run by tests/load/test_load.py): citizens applying, staff deciding,
officials and visitors reading, diplomats answering invitations. Each simulated person signs in
with a session the test prepared, and writes down every write the portal confirmed."""

import json
import os
import random
from itertools import count

from locust import HttpUser, between, events, task

PLAN = json.load(open(os.environ["LOAD_PLAN"]))
CONFIRMED = {"submitted": [], "approved": [], "answers": {}, "errors": []}
_next = {role: count() for role in PLAN["people"]}


def _identity(role: str) -> dict:
    return PLAN["people"][role][next(_next[role])]


class Person(HttpUser):
    abstract = True
    wait_time = between(0.1, 0.6)
    role = ""

    def on_start(self):
        self.me = _identity(self.role)
        self.client.headers.update(
            {
                "Cookie": self.me["cookie"],
                "X-CSRFToken": PLAN["csrf"],
                "Accept-Language": random.choice(["en", "fa"]),
            }
        )

    def get(self, path, name=None):
        with self.client.get(
            path, name=name or path, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in (200, 302):
                response.failure(f"{response.status_code}")
                CONFIRMED["errors"].append(f"{path} {response.status_code}: {response.text[:3000]}")

    def post(self, path, data, files=None, name=None):
        with self.client.post(
            path,
            data=data,
            files=files,
            name=name or path,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}")
                text = response.text
                start = text.find('id="form-errors"')
                CONFIRMED["errors"].append(
                    f"{path} {response.status_code}: "
                    f"{text[start : start + 1500] if start > 0 else text[:500]}"
                )
                return None
            return response


class Citizen(Person):
    weight = 4
    role = "citizen"

    def on_start(self):
        super().on_start()
        self.step = "draft"

    @task(3)
    def read_own_pages(self):
        self.get("/me/")
        self.get("/inbox/")

    @task(2)
    def apply(self):
        """A draft first, then the submission with the documents; then only reading."""
        if self.step == "draft":
            self.get("/apply/")
            if self.post("/apply/", {**PLAN["application"], "save": "1"}, name="/apply/ (draft)"):
                self.step = "submit"
        elif self.step == "submit":
            # The draft holds the language now; a browser would send that row back with its
            # id, so send none rather than the same language again as a new row.
            data = {**PLAN["application"], "languages-TOTAL_FORMS": "0", "submit": "1"}
            files = {
                "cv": ("cv.pdf", bytes.fromhex(PLAN["pdf"]), "application/pdf"),
                "photo": ("photo.png", bytes.fromhex(PLAN["png"]), "image/png"),
            }
            response = self.post("/apply/", data, files=files, name="/apply/ (submit)")
            if response is not None and response.headers.get("Location") == "/me/":
                self.step = "done"
                CONFIRMED["submitted"].append(self.me["email"])
        else:
            self.get("/")


class Staff(Person):
    weight = 1
    role = "staff"

    def on_start(self):
        super().on_start()
        self.waiting = list(self.me["applications"])

    @task
    def decide(self):
        self.get(
            "/admin/citizens/diplomatapplication/?status__exact=submitted", name="/admin/ queue"
        )
        if self.waiting:
            pk = self.waiting.pop()
            response = self.post(
                f"/admin/citizens/diplomatapplication/{pk}/decide/approve/",
                {"note": "Welcome!", "internal_note": ""},
                name="/admin/ decide",
            )
            if response is not None:
                CONFIRMED["approved"].append(pk)


class Reader(Person):
    weight = 2
    role = "official"

    @task
    def read(self):
        for path in PLAN["reading"]:
            self.get(path)


class Diplomat(Person):
    weight = 3
    role = "diplomat"

    @task(2)
    def answer(self):
        answer = random.choice(["accept", "decline", "maybe"])
        self.get(self.me["rsvp"], name="/rsvp/[token]/")
        if self.post(self.me["rsvp"], {"answer": answer}, name="/rsvp/[token]/ (answer)"):
            CONFIRMED["answers"][self.me["invitation"]] = answer

    @task
    def browse(self):
        self.get("/initiatives/")
        self.get(self.me["meeting"])


@events.quitting.add_listener
def _write_confirmed(environment, **kwargs):
    with open(os.environ["LOAD_CONFIRMED"], "w") as handle:
        json.dump(CONFIRMED, handle)
