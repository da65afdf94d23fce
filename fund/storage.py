"""Where uploaded and generated files are kept: private to the application.

The files are members' certificates and units' staff lists, with names and full ID numbers. They are served
only by views that check who asks (e.g. /documents/<pk>/file); nothing serves the storage's folder, so the
storage has no URL at all: `url()` raises instead of handing out a link that would work for anyone the
day someone serves the folder. Every stored name also carries a random part, so a path seen once (a log, an
audit event) says nothing about the path of another member's file.
"""

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage

TOKEN_BYTES = 12  # 96 bits: 24 hex characters


def with_token(name: str, max_length: int | None = None) -> str:
    """`name` with a random part before its suffix (documents/2026/07/document-1-<token>.pdf); the original
    stem is shortened, never the token, when the field's max_length would be exceeded."""
    path = PurePosixPath(name)
    token = secrets.token_hex(TOKEN_BYTES)
    stem, suffix = path.stem, path.suffix
    folder = "" if str(path.parent) == "." else f"{path.parent}/"
    if max_length is not None:
        room = max_length - len(folder) - len(suffix) - len(token) - 1
        stem = stem[: max(room, 0)]
    return f"{folder}{stem}-{token}{suffix}" if stem else f"{folder}{token}{suffix}"


class PrivateFileStorage(FileSystemStorage):
    """FileSystemStorage under MEDIA_ROOT with unguessable names and no public URL."""

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return super().get_available_name(with_token(name, max_length), max_length)

    def url(self, name: str | None) -> str:
        raise NotImplementedError(
            "Stored files have no public URL: serve them through a view that checks who may see them."
        )
