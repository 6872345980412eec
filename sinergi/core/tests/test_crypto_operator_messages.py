"""What the operator reads when encryption is misconfigured: the whole message, exactly.

These messages reach the deployment's console and error log (a start that fails, a page that cannot be
rendered, `rotate_field_keys` that stops). They must say which setting to fix and what is wrong with it,
and never contain a key: each failure below is provoked the way an operator would cause it.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured

from sinergi.core import crypto

OTHER_KEY = "Y5QCO6UYdSqQVKcm5TjbEY2ht1XxUoPoHj6VYZMK3bo="
# Encrypted once under the test key of config/settings/test.py (as in test_crypto_known_answers.py).
STORED_TEXT = (
    "fernet:gAAAAABrDy89dWq2HGDwUlssEueGnRio3tXqOEaR_bOnMZVuAK83Edlz8j5wfg21Fl1-0E_bTjOjjKLgzzwKvtdhRo7BbgVyWQ=="
)
STORED_BYTES = b"gAAAAABrDy890WDQT1puTFCYc5Mp9hTEygQq4lZKsyebWWIk5u95AIGcK6FiSDV0WCrtdUb6X4PvQcSxUjeUsZTqVjj2jqqhEA=="


def _message(call) -> str:
    with pytest.raises((ImproperlyConfigured, ValueError)) as excinfo:
        call()
    return str(excinfo.value)


def test_an_empty_key_list_says_that_one_key_is_needed(settings):
    settings.SINERGI_FIELD_KEYS = []
    assert _message(lambda: crypto.encrypt_str("Siti")) == (
        "SINERGI_FIELD_KEYS is empty: field encryption needs at least one key."
    )


def test_a_malformed_key_is_named_by_its_setting_not_by_its_value(settings):
    settings.SINERGI_FIELD_KEYS = ["my-secret-passphrase"]
    assert _message(lambda: crypto.encrypt_str("Siti")) == "SINERGI_FIELD_KEYS holds a value that is not a Fernet key."


def test_a_field_no_configured_key_decrypts_asks_for_the_right_key(settings):
    settings.SINERGI_FIELD_KEYS = [OTHER_KEY]
    assert _message(lambda: crypto.decrypt_str(STORED_TEXT)) == (
        "Cannot decrypt a field: is the right key in SINERGI_FIELD_KEYS?"
    )


def test_a_file_no_configured_key_decrypts_asks_for_the_right_key(settings):
    settings.SINERGI_FIELD_KEYS = [OTHER_KEY]
    assert _message(lambda: crypto.decrypt_bytes(STORED_BYTES)) == (
        "Cannot decrypt a file: is the right key in SINERGI_FIELD_KEYS?"
    )


def test_a_rotation_no_configured_key_can_read_says_so(settings):
    settings.SINERGI_FIELD_KEYS = [OTHER_KEY]
    expected = "Cannot re-encrypt: no key in SINERGI_FIELD_KEYS decrypts it."
    assert _message(lambda: crypto.rotate_bytes(STORED_BYTES)) == expected
    assert _message(lambda: crypto.rotate_str(STORED_TEXT)) == expected


def test_plaintext_where_ciphertext_belongs_is_called_so():
    assert _message(lambda: crypto.decrypt_str("Siti Aminah")) == "Value is not Sinergi ciphertext."
    assert _message(lambda: crypto.is_current_str("Siti Aminah")) == "Value is not Sinergi ciphertext."


def test_a_missing_blind_index_key_names_the_setting(settings):
    settings.SINERGI_BLIND_INDEX_KEY = ""
    assert _message(lambda: crypto.nik_index("6402015103150002")) == "SINERGI_BLIND_INDEX_KEY is not set."


def test_a_refused_lookup_names_the_lookup_and_the_alternative():
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError) as excinfo:
        crypto.EncryptedTextField().get_lookup("icontains")
    assert str(excinfo.value) == "EncryptedTextField does not support 'icontains' lookups; use a blind index."
