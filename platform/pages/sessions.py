"""Sessions kept in the cache and the database (Django's ``cached_db``), read in one round trip
with what the request reads ahead (``pages.read_ahead``).

What is read ahead for a member depends on who they are, and that is written in the session.
The process remembers whose each session it has read (a bounded number, the oldest forgotten
first) and reads that member's entries with the session; the user id in the session read is
what counts: where it is another (a session the process has not seen, or one that changed
hands), that member's entries are read in a second round trip. What is remembered only
chooses what to read, never what a request is allowed.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS

from pages import read_ahead as ahead
from pages import shared_reads
from pages.shared_reads import Kept

# Session key -> user id; some 200 bytes each.
_users_of_sessions = Kept(size=10_000)


class SessionStore(cached_db.SessionStore):
    def read_ahead(self, scopes) -> dict:
        """The generations of ``scopes`` and what is read ahead for the session's member,
        with the session itself (loaded by this call, where it was not yet)."""
        if (
            self.session_key is None
            or hasattr(self, "_session_cache")
            or settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS
        ):
            user_id = ahead.user_id_of(self) if self.session_key is not None else None
            return self._read_for(scopes, user_id, get_many=None)
        guessed = _users_of_sessions.get(self.session_key, (), default=None)
        found = self._read_for(scopes, guessed, get_many=self._get_many_with_session)
        user_id = ahead.user_id_of(self)
        if user_id != guessed:
            _users_of_sessions.put(self.session_key, (), user_id)
            if user_id is not None:
                found.update(self._read_for([], user_id, get_many=None))
        return found

    @staticmethod
    def _read_for(scopes, user_id, get_many) -> dict:
        member_scopes, member_keys = ahead.of_member(user_id)
        if not (scopes or member_scopes or member_keys or get_many):
            return {}
        return shared_reads.read_ahead([*scopes, *member_scopes], member_keys, get_many=get_many)

    def _get_many_with_session(self, keys) -> dict:
        """``keys`` from the cache, and the session in the same round trip."""
        try:
            values = self._cache.get_many([self.cache_key, *keys])
        except Exception:
            values = {}  # as cached_db: an unreadable session is read from the database
        data = values.pop(self.cache_key, None)
        self._session_cache = data if data is not None else self.load()
        self.accessed = True
        return values
