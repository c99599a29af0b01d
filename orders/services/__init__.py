"""Writes. One function per seller action, each in one transaction, each writing a history row."""

from .errors import ActionRefused

__all__ = ["ActionRefused"]
