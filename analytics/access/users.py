"""Local accounts of the dashboard: a users file with salted argon2 password hashes.

The file is JSON, written atomically and readable by its owner only::

    {"users": [{"name": "aigerim", "role": "head", "hash": "$argon2id$...",
                "operator_id": null, "sso_email": null, "created_at": "2025-03-04T10:00:00"}]}

``sso_email`` ties an enterprise single-sign-on identity (Streamlit ``st.login``)
to an account and so to a role; an SSO user without an account is refused.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import re
import secrets
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics.access.policy import ROLES, Viewer, role
from core import clock
from core.errors import OkaError

log = logging.getLogger(__name__)

MIN_PASSWORD = 8
_NAME_RE = re.compile(r"^[\w.@-]{2,64}$")
_hasher = PasswordHasher()


class UsersError(OkaError):
    """The users file is unreadable, or an account cannot be added as asked."""


@dataclass
class User:
    name: str
    role: str
    hash: str
    operator_id: str | None = None
    sso_email: str | None = None
    created_at: str = ""

    def viewer(self) -> Viewer:
        return Viewer(self.name, role(self.role), self.operator_id)


class UsersFile:
    """The accounts in ``path``; every change is saved at once."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.users: dict[str, User] = {}
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            for raw in data["users"]:
                user = User(**raw)
                if user.role not in ROLES:
                    raise ValueError(f"user {user.name!r} has unknown role {user.role!r}")
                self.users[user.name] = user
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise UsersError(f"{self.path}: not a valid users file ({e})") from e

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"users": [asdict(u) for u in self.users.values()]}, ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=".users-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(body)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def add(self, name: str, role_id: str, password: str, operator_id: str | None = None,
            sso_email: str | None = None, replace: bool = False) -> User:
        if not _NAME_RE.match(name):
            raise UsersError(f"{name!r}: a user name is 2-64 letters, digits or . @ - _")
        role(role_id)
        if role_id == "operator" and not operator_id:
            raise UsersError(f"{name}: an operator account needs --operator-id (the id in calls.csv)")
        if len(password) < MIN_PASSWORD:
            raise UsersError(f"{name}: the password must have at least {MIN_PASSWORD} characters")
        if name in self.users and not replace:
            raise UsersError(f"{name}: the user exists already")
        user = User(name, role_id, _hasher.hash(password), operator_id, sso_email,
                    clock.now().isoformat())
        self.users[name] = user
        self.save()
        log.info("user %s saved with role %s", name, role_id)
        return user

    def remove(self, name: str) -> None:
        if self.users.pop(name, None) is None:
            raise UsersError(f"{name}: no such user in {self.path}")
        self.save()

    def verify(self, name: str, password: str) -> User | None:
        """The user if the password is right, else None (the same time either way)."""
        user = self.users.get(name)
        try:
            _hasher.verify(user.hash if user else _dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        if user is None:
            return None
        if _hasher.check_needs_rehash(user.hash):
            user.hash = _hasher.hash(password)
            self.save()
        return user

    def by_sso_email(self, email: str | None) -> User | None:
        if not email:
            return None
        email = email.strip().lower()
        return next((u for u in self.users.values() if u.sso_email and u.sso_email.lower() == email), None)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown, so a wrong name costs the same time as a wrong password."""
    return _hasher.hash(secrets.token_hex(8))


def demo_accounts(path: Path, operator_id: str | None = None) -> dict[str, tuple[str, str]]:
    """Create one account per role with a fresh random password; {name: (role, password)}.

    For ``oka-qa demo`` only: the passwords are printed, and the dashboard is bound to localhost.
    """
    users = UsersFile(path)
    made = {}
    for name, role_id in (("head", "head"), ("auditor", "auditor"), ("trainer", "trainer"),
                          ("operator", "operator")):
        if role_id == "operator" and not operator_id:
            continue
        password = secrets.token_urlsafe(9)
        users.add(name, role_id, password, operator_id if role_id == "operator" else None, replace=True)
        made[name] = (role_id, password)
    return made

