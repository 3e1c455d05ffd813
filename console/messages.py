"""The edge where coded messages from data/ become words in the user's language.

data/ raises `GridWatchError`s and returns `Message`s (a code and fields, data/messages.py); the
console shows them through here, translated with Qt's translator in the "messages" context. Nothing
in the console reads or branches on the English text.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from data.domain import local_time
from data.messages import GridWatchError, Message, decode_note


def _translate(template: str) -> str:
    return QCoreApplication.translate("messages", template)


def say(what: Message | GridWatchError | str | None, lang: str) -> str:
    """A coded message (or a refusal carrying one) as the user reads it; plain text passes through."""
    if what is None:
        return ""
    if isinstance(what, GridWatchError):
        what = what.message
    if isinstance(what, Message):
        return what.text(lang, _translate)
    return str(what)


def note_text(note: str | None, lang: str) -> str:
    """A case event's note: a system note (stored coded) translated, a typed one as typed."""
    return say(decode_note(note), lang)


def local_hm(t: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time in the office's time zone (data.domain.local_time is the one rule)."""
    return local_time(t).strftime(fmt)
