class ActionRefused(Exception):
    """The order's state, the transition table or the input forbids the action; the message says why."""
