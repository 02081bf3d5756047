"""Django's database sessions, each kept with whose session it is (citizens.models.Session), so
that a signed-in request reads its session and its reader in one query (citizens/auth.py).
Writing, expiry and clearing stay Django's."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from . import auth


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = (
            None if user_id is None else session._meta.get_field("user").to_python(user_id)
        )
        return session

    def load(self):
        found = auth.read_session(router.db_for_read(self.model), self.session_key, timezone.now())
        if found is None:
            self._session_key = None
            return {}
        session_data, reader = found
        if reader is not None:
            auth.keep_reader(reader)
        return self.decode(session_data)
