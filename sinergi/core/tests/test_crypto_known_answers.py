"""Known-answer values for the blind indexes and the stored ciphertext format.

Stored indexes are looked up by recomputing them: a change to the HMAC input, the purpose label or the
truncation would make every stored index silently stop matching (duplicate checks, tracking codes). The
values below were computed once with the test-only key of `config/settings/test.py` and are pinned here.
"""

import datetime
import hashlib
import hmac

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured

from sinergi.core import crypto

TEST_BLIND_INDEX_KEY = "test-only-blind-index-key-0123456789abcdef"
TEST_FIELD_KEY = "yx1kNMK4x-FLm-1Jm0KSrFjZkiRMZmImTdx8vrAyR04="

NIK = "6402015103150002"
NIK_INDEX = "9bc8029d7c8a7830705376a71444232a"
NAME_DOB_INDEX = "23a18d115cb5a09ba9a1d3d9be3e8e4e"  # "Siti Nur-Aini", 2012-05-17
TRACKING_INDEX = "3bc938635ca67668dbc27621ab862880"  # "PPA7K2M9Q4XZ"
# Text and a file encrypted once under TEST_FIELD_KEY, as they sit in the database and on disk.
STORED_TEXT = (
    "fernet:gAAAAABrDy89dWq2HGDwUlssEueGnRio3tXqOEaR_bOnMZVuAK83Edlz8j5wfg21Fl1-0E_bTjOjjKLgzzwKvtdhRo7BbgVyWQ=="
)
STORED_BYTES = b"gAAAAABrDy890WDQT1puTFCYc5Mp9hTEygQq4lZKsyebWWIk5u95AIGcK6FiSDV0WCrtdUb6X4PvQcSxUjeUsZTqVjj2jqqhEA=="
OTHER_KEY = "Y5QCO6UYdSqQVKcm5TjbEY2ht1XxUoPoHj6VYZMK3bo="


def test_the_pinned_values_belong_to_the_test_keys():
    assert settings.SINERGI_BLIND_INDEX_KEY == TEST_BLIND_INDEX_KEY
    assert settings.SINERGI_FIELD_KEYS == [TEST_FIELD_KEY]


class TestBlindIndexKnownAnswers:
    def test_nik_index(self):
        assert crypto.nik_index(NIK) == NIK_INDEX
        assert crypto.nik_index(" 6402 0151-0315 0002 ") == NIK_INDEX
        assert crypto.nik_index("６４０２０１５１０３１５０００２") == NIK_INDEX  # full-width digits (NFKC)

    def test_name_and_birth_date_index(self):
        birth = datetime.date(2012, 5, 17)
        assert crypto.name_birth_index("Siti Nur-Aini", birth) == NAME_DOB_INDEX
        assert crypto.name_birth_index("  SITI  nur-AINI. ", birth) == NAME_DOB_INDEX

    @pytest.mark.parametrize(
        ("value", "purpose", "expected"),
        [
            (NIK, "nik", NIK_INDEX),
            ("siti nuraini|2012-05-17", "name_dob", NAME_DOB_INDEX),
            ("PPA7K2M9Q4XZ", "tracking", TRACKING_INDEX),
            (NIK, "name_dob", "b89366bf1057f1921eb7fd75d345f86f"),
            ("siti nuraini|2012-05-17", "nik", "f63d3c0829948d4138a6a21476a260b6"),
            ("x", "nik", "04db67117f6dbb4d6a8fdadcf86bc59c"),
        ],
    )
    def test_blind_index_per_purpose(self, value, purpose, expected):
        assert crypto.blind_index(value, purpose=purpose) == expected

    def test_the_hmac_input_is_purpose_nul_value_truncated_to_128_bits(self):
        full = hmac.new(TEST_BLIND_INDEX_KEY.encode(), b"nik\x00" + NIK.encode(), hashlib.sha256).hexdigest()
        assert full[:32] == NIK_INDEX
        assert len(crypto.blind_index(NIK, purpose="nik")) == 32

    def test_no_value_no_index(self):
        assert crypto.blind_index("", purpose="nik") == ""
        assert crypto.blind_index(None, purpose="nik") == ""
        assert crypto.nik_index(None) == ""
        assert crypto.name_birth_index(None, datetime.date(2012, 5, 17)) == ""

    def test_a_missing_key_names_the_setting(self, settings):
        settings.SINERGI_BLIND_INDEX_KEY = ""
        with pytest.raises(ImproperlyConfigured, match="SINERGI_BLIND_INDEX_KEY is not set"):
            crypto.blind_index(NIK, purpose="nik")

    def test_digits_and_text_normalisation(self):
        assert crypto.normalize_digits("NIK: 6402-0151 (03)") == "6402015103"
        assert crypto.normalize_digits("") == ""
        assert crypto.normalize_text("  SITI \t Nur-Aini,\n S.Pd. ") == "siti nuraini spd"
        assert crypto.normalize_text("ﬁtri") == "fitri"  # ligature: NFKC
        assert crypto.normalize_text("") == ""


class TestStoredCiphertext:
    def test_stored_text_still_decrypts(self):
        assert crypto.decrypt_str(STORED_TEXT) == "Siti Aminah"

    def test_stored_file_still_decrypts(self):
        assert crypto.decrypt_bytes(STORED_BYTES) == b"visum"

    def test_new_ciphertext_has_the_stored_format(self):
        token = crypto.encrypt_str("Siti Aminah")
        assert token.startswith("fernet:gAAAAA")
        assert Fernet(TEST_FIELD_KEY.encode()).decrypt(token.removeprefix("fernet:").encode()) == b"Siti Aminah"
        assert Fernet(TEST_FIELD_KEY.encode()).decrypt(crypto.encrypt_bytes(b"visum")) == b"visum"
        assert crypto.CIPHERTEXT_PREFIX == "fernet:"

    def test_non_ascii_text_round_trips(self):
        assert crypto.decrypt_str(crypto.encrypt_str("Ñoña “kutip” 子")) == "Ñoña “kutip” 子"

    def test_rotation_writes_under_the_newest_key(self, settings):
        settings.SINERGI_FIELD_KEYS = [OTHER_KEY, TEST_FIELD_KEY]
        assert not crypto.is_current_str(STORED_TEXT)
        assert not crypto.is_current_bytes(STORED_BYTES)
        rotated, rotated_bytes = crypto.rotate_str(STORED_TEXT), crypto.rotate_bytes(STORED_BYTES)
        assert rotated.startswith("fernet:")
        assert crypto.is_current_str(rotated)
        assert crypto.is_current_bytes(rotated_bytes)
        assert Fernet(OTHER_KEY.encode()).decrypt(rotated.removeprefix("fernet:").encode()) == b"Siti Aminah"
        assert Fernet(OTHER_KEY.encode()).decrypt(rotated_bytes) == b"visum"
        assert crypto.is_current_str(crypto.encrypt_str("x"))
        assert Fernet(OTHER_KEY.encode()).decrypt(crypto.encrypt_bytes(b"x")) == b"x"

    def test_the_current_key_is_current(self):
        assert crypto.is_current_str(STORED_TEXT)
        assert crypto.is_current_bytes(STORED_BYTES)

    def test_errors_name_the_setting_and_never_the_key(self, settings):
        settings.SINERGI_FIELD_KEYS = [OTHER_KEY]
        for call in (
            lambda: crypto.decrypt_str(STORED_TEXT),
            lambda: crypto.decrypt_bytes(STORED_BYTES),
            lambda: crypto.rotate_str(STORED_TEXT),
            lambda: crypto.rotate_bytes(STORED_BYTES),
        ):
            with pytest.raises(ImproperlyConfigured, match="SINERGI_FIELD_KEYS") as excinfo:
                call()
            assert OTHER_KEY not in str(excinfo.value)
            assert TEST_FIELD_KEY not in str(excinfo.value)
        settings.SINERGI_FIELD_KEYS = []
        with pytest.raises(ImproperlyConfigured, match="SINERGI_FIELD_KEYS is empty"):
            crypto.encrypt_str("x")
        settings.SINERGI_FIELD_KEYS = ["not-a-fernet-key"]
        with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
            crypto.encrypt_str("x")

    def test_blank_entries_in_the_key_list_are_ignored_and_the_first_key_writes(self, settings):
        settings.SINERGI_FIELD_KEYS = ["", "  ", f" {OTHER_KEY} ", TEST_FIELD_KEY]
        assert crypto.decrypt_str(STORED_TEXT) == "Siti Aminah"
        assert Fernet(OTHER_KEY.encode()).decrypt(crypto.encrypt_str("x").removeprefix("fernet:").encode()) == b"x"

    def test_generated_keys_are_fernet_keys(self):
        key = crypto.generate_key()
        assert isinstance(key, str)
        assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"


class TestEncryptedTextField:
    def test_defaults_blank_and_empty(self):
        field = crypto.EncryptedTextField()
        assert field.blank is True
        assert field.default == ""
        explicit = crypto.EncryptedTextField(blank=False, default="x")
        assert (explicit.blank, explicit.default) == (False, "x")

    def test_empty_values_are_stored_and_read_as_they_are(self):
        field = crypto.EncryptedTextField()
        assert field.get_prep_value("") == ""
        assert field.get_prep_value(None) is None
        assert field.from_db_value("", None, None) == ""
        assert field.from_db_value(None, None, None) is None
        assert field.to_python("Siti") == "Siti"

    def test_values_are_encrypted_for_the_database_and_decrypted_back(self):
        field = crypto.EncryptedTextField()
        stored = field.get_prep_value(6402)
        assert stored.startswith("fernet:")
        assert crypto.decrypt_str(stored) == "6402"
        assert field.from_db_value(STORED_TEXT, None, None) == "Siti Aminah"

    def test_only_isnull_lookups(self):
        field = crypto.EncryptedTextField()
        assert field.get_lookup("isnull") is not None
        with pytest.raises(FieldError, match="'exact' lookups; use a blind index"):
            field.get_lookup("exact")

    def test_deconstructs_to_its_public_path(self):
        field = crypto.EncryptedTextField()
        field.set_attributes_from_name("title")
        name, path, args, kwargs = field.deconstruct()
        assert (name, path, args) == ("title", "sinergi.core.crypto.EncryptedTextField", [])
        assert kwargs == {"blank": True, "default": ""}
