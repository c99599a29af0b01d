"""Clearing django-axes' failure count once a sign-in is complete, for that username and IP only."""

from axes.utils import reset

from accounts.client_ip import client_ip


def clear_failures(request, user) -> None:
    ip = client_ip(request)
    if ip:
        reset(ip=ip, username=user.get_username())
