"""The server's signer agrees with the one written from the issue's words (tests/partner_api/client.py)."""

import hashlib
import hmac

from partner_api.signing import sign, webhook_signature

from .client import platform_sign

PATH = "/order/202309/orders"


def test_agrees_with_the_description():
    params = [("timestamp", "1700000000"), ("app_key", "abc"), ("ids", "2"), ("ids", "1"), ("shop_cipher", "X")]
    assert sign("s3cret", PATH, params, b'{"a": 1}') == platform_sign("s3cret", PATH, params, b'{"a": 1}')


def test_a_worked_example():
    text = b"s3cret" + b"/order/202309/ordersapp_keyabcids2ids1timestamp1" + b"{}" + b"s3cret"
    expected = hmac.new(b"s3cret", text, hashlib.sha256).hexdigest()
    params = [
        ("timestamp", "1"),
        ("ids", "2"),
        ("sign", "ignored"),
        ("app_key", "abc"),
        ("ids", "1"),
        ("access_token", "ignored"),
    ]
    assert sign("s3cret", PATH, params, b"{}") == expected


def test_repeated_keys_keep_their_order():
    assert sign("k", PATH, [("ids", "1"), ("ids", "2")]) != sign("k", PATH, [("ids", "2"), ("ids", "1")])


def test_multipart_body_is_left_out():
    assert sign("k", PATH, [], b"--boundary...", multipart=True) == sign("k", PATH, [], b"")


def test_webhook_signature():
    assert webhook_signature("key", "sec", b"{}") == hmac.new(b"sec", b"key{}", hashlib.sha256).hexdigest()
