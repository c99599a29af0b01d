"""Seller notes and the message thread with the buyer."""

from django.db import transaction
from django.utils import timezone

from orders.models import NoteColor, OrderMessage, OrderNote
from orders.statuses import ActorKind

from .errors import ActionRefused
from .transitions import authorize, lock, record

MAX_TEXT = 2000


def _text(value, what):
    text = (value or "").strip()
    if not text:
        raise ActionRefused(f"The {what} is empty.")
    if len(text) > MAX_TEXT:
        raise ActionRefused(f"The {what} is {len(text):,} characters long; at most {MAX_TEXT:,} fit.")
    return text


@transaction.atomic
def add_note(order, user, *, text, color=NoteColor.GREY, now=None) -> OrderNote:
    authorize(user, order, "add_note")
    text = _text(text, "note")
    if color not in NoteColor.values:
        raise ActionRefused("Choose one of the note colours.")
    order = lock(order, None)
    now = now or timezone.now()
    note = OrderNote.objects.create(order=order, author=user, color=color, text=text, created_at=now)
    record(order, user, at=now, reason="Seller note added", seller_note=text)
    return note


@transaction.atomic
def message_buyer(order, user, *, body, now=None) -> OrderMessage:
    authorize(user, order, "message_buyer")
    body = _text(body, "message")
    order = lock(order, None)
    now = now or timezone.now()
    message = OrderMessage.objects.create(order=order, sender=ActorKind.SELLER, author=user, body=body, sent_at=now)
    record(order, user, at=now, reason="Message sent to the buyer")
    return message
