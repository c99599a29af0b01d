from django.conf import settings
from django.db import models

from orders.statuses import ActorKind


class NoteColor(models.TextChoices):
    GREY = "grey", "Grey"
    RED = "red", "Red"
    ORANGE = "orange", "Orange"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    PURPLE = "purple", "Purple"


class OrderNote(models.Model):
    """A seller's private note on an order, with a colour flag as in the platform."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    color = models.CharField(max_length=8, choices=NoteColor.choices, default=NoteColor.GREY)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["order", "-created_at", "-id"]
        indexes = [models.Index(fields=["order", "created_at"], name="note_order_created")]

    def __str__(self):
        return self.text[:60]


class OrderMessage(models.Model):
    """One message of the seller-buyer thread about an order."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=16, choices=ActorKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body = models.TextField(max_length=2000)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["order", "sent_at", "id"]
        indexes = [models.Index(fields=["order", "sent_at"], name="message_order_sent")]

    def __str__(self):
        return f"{self.sender}: {self.body[:60]}"
