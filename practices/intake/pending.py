"""An upload waiting between its preview and a curator's confirmation.

It is kept in Django's file storage (``STORAGES["imports"]``: a local folder by default,
object storage where several servers share the work, so a preview made on one can be
confirmed on another), not in the session, and is forgotten after
``PENDING_IMPORT_HOURS``. Only the curator who previewed it may confirm it, once.
"""

import datetime
import json
import re
import secrets
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class PendingImport:
    intake: str  # which importer: "csv" or "stip"
    name: str  # the uploaded file's name
    user_id: int
    options: dict  # the importer's options chosen with the upload (a STIP theme)
    revisions: dict  # what the preview read: see ImportReport.revisions
    created: str  # ISO date and time

    def expired(self, now=None) -> bool:
        age = (now or timezone.now()) - datetime.datetime.fromisoformat(self.created)
        return age > datetime.timedelta(hours=settings.PENDING_IMPORT_HOURS)


def _storage():
    return storages["imports"]


def keep(content: bytes, *, intake, name, user, options, revisions) -> str:
    """Keep an upload until it is confirmed; the token names it."""
    forget_expired()
    token = secrets.token_urlsafe(24)
    pending = PendingImport(
        intake=intake,
        name=name,
        user_id=user.pk,
        options=options,
        revisions=revisions,
        created=timezone.now().isoformat(),
    )
    storage = _storage()
    storage.save(f"{token}.upload", ContentFile(content))
    storage.save(f"{token}.json", ContentFile(json.dumps(asdict(pending)).encode()))
    return token


def peek(token: str, *, intake: str, user) -> tuple[PendingImport, bytes] | None:
    """The upload ``token`` names and what was chosen with it, left in storage (to show the
    preview's other pages); None when there is none (never previewed, already confirmed,
    expired, or someone else's)."""
    found = _read(token, intake=intake, user=user)
    if found is None or found[0].expired():
        return None
    return found


def take(token: str, *, intake: str, user) -> tuple[PendingImport, bytes] | None:
    """As ``peek``, and removed from storage: it is confirmed once."""
    found = _read(token, intake=intake, user=user)
    if found is None:
        return None
    _delete(token)
    if found[0].expired():
        return None
    return found


def _read(token, *, intake, user):
    if not _TOKEN.match(token or ""):
        return None
    storage = _storage()
    try:
        with storage.open(f"{token}.json") as file:
            pending = PendingImport(**json.loads(file.read()))
        with storage.open(f"{token}.upload") as file:
            content = file.read()
    except (OSError, ValueError, TypeError):
        return None
    if pending.intake != intake or pending.user_id != user.pk:
        return None
    return pending, content


def forget_expired(now=None):
    """Remove every upload older than ``PENDING_IMPORT_HOURS``."""
    storage = _storage()
    try:
        _, names = storage.listdir("")
    except FileNotFoundError:
        return
    for name in names:
        if not name.endswith(".json"):
            continue
        token = name.removesuffix(".json")
        try:
            with storage.open(name) as file:
                pending = PendingImport(**json.loads(file.read()))
        except (OSError, ValueError, TypeError):
            continue
        if pending.expired(now):
            _delete(token)


def _delete(token):
    storage = _storage()
    for name in (f"{token}.json", f"{token}.upload"):
        storage.delete(name)
