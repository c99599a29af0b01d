"""Signals other apps listen to; orders itself imports none of them.

order_status_changed: sent by orders.services.transitions.record() whenever an order's status
moves, with order, from_status, to_status and at (the update time). Receivers that talk to the
outside world should wait for the transaction to commit (transaction.on_commit).
"""

from django.dispatch import Signal

order_status_changed = Signal()
