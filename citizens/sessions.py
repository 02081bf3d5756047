"""Django's database sessions, each kept with whose session it is (citizens.models.Session), so
that a signed-in request reads its session and its reader in one query (citizens/auth.py), or
none while this process holds them (citizens/session_cache.py, SESSION_READER_CACHE). Writing,
expiry and clearing stay Django's."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from . import auth, session_cache


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
        using = router.db_for_read(self.model)
        read = session_cache.cache.read if settings.SESSION_READER_CACHE else auth.read_session
        found = read(using, self.session_key, timezone.now())
        if found is None:
            self._session_key = None
            return {}
        session_data, _expire_date, reader_row = found
        if reader_row is not None:
            auth.keep_reader(auth.reader_from(reader_row, using))
        return self.decode(session_data)

    # This process forgets what it kept of a session it writes at once, without waiting to hear
    # of it from PostgreSQL: its next request may well be the one to read it.
    def save(self, must_create=False):
        super().save(must_create)
        session_cache.cache.forget(self.session_key)

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        super().delete(session_key)
        if session_key is not None:
            session_cache.cache.forget(session_key)
