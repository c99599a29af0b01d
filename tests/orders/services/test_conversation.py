"""Seller notes and messages to the buyer (orders/services/conversation.py)."""

import pytest
from django.utils import timezone

from orders.models import NoteColor
from orders.services import ActionRefused
from orders.services.conversation import MAX_TEXT, add_note, message_buyer
from orders.statuses import ActorKind, OrderStatus
from tests.factories import OrderFactory

from .scenarios import history_of, snapshot

pytestmark = pytest.mark.django_db
S = OrderStatus


@pytest.fixture
def order(shop):
    return OrderFactory(shop=shop, status=S.IN_TRANSIT)


def test_max_text_is_2000():
    assert MAX_TEXT == 2000


@pytest.mark.parametrize("color", NoteColor)
def test_add_note(color, order, agent):
    now = timezone.now()
    note = add_note(order, agent, text="  Call before delivery \n", color=color, now=now)
    note.refresh_from_db()
    assert (note.order_id, note.author, note.color, note.text, note.created_at) == (
        order.pk,
        agent,
        color,
        "Call before delivery",
        now,
    )
    order.refresh_from_db()
    assert (order.seller_note, order.status) == ("Call before delivery", S.IN_TRANSIT)
    (row,) = history_of(order)
    assert (row.actor, row.actor_kind, row.from_status, row.to_status, row.at) == (
        agent,
        ActorKind.SELLER,
        S.IN_TRANSIT,
        S.IN_TRANSIT,
        now,
    )
    assert row.reason == "Seller note added"


def test_the_latest_note_is_the_orders_seller_note(order, agent):
    add_note(order, agent, text="First")
    add_note(order, agent, text="Second", color=NoteColor.RED)
    order.refresh_from_db()
    assert order.seller_note == "Second"
    assert list(order.notes.values_list("text", flat=True)) == ["Second", "First"]
    assert len(history_of(order)) == 2


def test_the_default_colour_is_grey(order, agent):
    assert add_note(order, agent, text="Fragile").color == NoteColor.GREY


@pytest.mark.parametrize("color", ["", "pink", "GREY", "Red", None])
def test_unknown_colours_are_refused(color, order, agent):
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="note colours"):
        add_note(order, agent, text="Fragile", color=color)
    assert snapshot(order) == before


def test_message_buyer(order, agent):
    now = timezone.now()
    message = message_buyer(order, agent, body=" Your parcel is on its way. ", now=now)
    message.refresh_from_db()
    assert (message.order_id, message.sender, message.author, message.body, message.sent_at) == (
        order.pk,
        ActorKind.SELLER,
        agent,
        "Your parcel is on its way.",
        now,
    )
    order.refresh_from_db()
    assert (order.seller_note, order.status) == ("", S.IN_TRANSIT)
    (row,) = history_of(order)
    assert (row.actor, row.reason) == (agent, "Message sent to the buyer")


def write(what, order, user, text):
    if what == "note":
        return add_note(order, user, text=text)
    return message_buyer(order, user, body=text)


@pytest.mark.parametrize("what", ["note", "message"])
@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "is empty"),
        (None, "is empty"),
        (" \n\t ", "is empty"),
        ("x" * 2001, "is 2,001 characters long; at most 2,000 fit"),
        ("é" * 5000, "is 5,000 characters long"),
    ],
)
def test_empty_and_overlong_texts_are_refused(what, text, error, order, agent):
    before = snapshot(order)
    with pytest.raises(ActionRefused, match=f"The {what} {error}"):
        write(what, order, agent, text)
    assert snapshot(order) == before


@pytest.mark.parametrize("what", ["note", "message"])
def test_2000_characters_fit(what, order, agent):
    text = "x" * 2000
    written = write(what, order, agent, f"  {text}  ")  # surrounding blanks do not count
    assert (written.text if what == "note" else written.body) == text


@pytest.mark.parametrize("what", ["note", "message"])
@pytest.mark.parametrize("status", list(S))
def test_notes_and_messages_in_every_status(what, status, shop, agent):
    order = OrderFactory(shop=shop, status=status)
    write(what, order, agent, "Hello")
    order.refresh_from_db()
    assert order.status == status
    assert len(history_of(order)) == 1
