import datetime
import io
import string

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from hypothesis import example, given
from hypothesis import strategies as st

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.core import crypto
from sinergi.documents import services as document_services
from sinergi.documents.models import Document
from sinergi.documents.tests.factories import MINIMAL_PDF, store_document
from sinergi.tenants.tests.factories import AgencyFactory

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
TITLE = "Visum et repertum Siti Aminah"
FILE_NAME = "visum Siti Aminah.pdf"


@pytest.fixture
def stored_document(make_user, tenant):
    return store_document(
        actor=make_user(Role.CASE_MANAGER), owner=AgencyFactory(tenant=tenant), title=TITLE, name=FILE_NAME
    )


def raw_columns(document: Document) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, original_name FROM documents_document WHERE id = %s", [document.pk.hex])
        row = cursor.fetchone()
    if row is None:  # PostgreSQL stores UUIDs natively
        with connection.cursor() as cursor:
            cursor.execute("SELECT title, original_name FROM documents_document WHERE id = %s", [str(document.pk)])
            row = cursor.fetchone()
    return row


# ---- Encryption ------------------------------------------------------------------------------


class TestEncryption:
    @given(st.text())
    def test_text_round_trips(self, value):
        token = crypto.encrypt_str(value)
        assert token.startswith(crypto.CIPHERTEXT_PREFIX)
        assert crypto.decrypt_str(token) == value

    def test_bytes_round_trip(self):
        token = crypto.encrypt_bytes(MINIMAL_PDF)
        assert MINIMAL_PDF not in token
        assert crypto.decrypt_bytes(token) == MINIMAL_PDF

    def test_the_same_text_encrypts_differently_each_time(self):
        assert crypto.encrypt_str("Siti") != crypto.encrypt_str("Siti")

    @pytest.mark.django_db
    def test_the_database_column_holds_no_plaintext(self, stored_document):
        title, original_name = raw_columns(stored_document)
        for raw in (title, original_name):
            assert raw.startswith(crypto.CIPHERTEXT_PREFIX)
            assert "Siti" not in raw
            assert "visum" not in raw.lower()
        reloaded = Document.objects.get(pk=stored_document.pk)
        assert (reloaded.title, reloaded.original_name) == (TITLE, FILE_NAME)

    @pytest.mark.django_db
    @pytest.mark.parametrize("lookup", ["title__icontains", "title__startswith", "title", "original_name__in"])
    def test_lookups_that_would_need_the_plaintext_are_refused(self, lookup):
        value = ["Siti"] if lookup.endswith("__in") else "Siti"
        with pytest.raises(FieldError):
            list(Document.objects.filter(**{lookup: value}))

    @pytest.mark.django_db
    def test_isnull_lookup_is_allowed(self, stored_document):
        assert Document.objects.filter(title__isnull=False).count() == 1

    @pytest.mark.django_db
    def test_a_wrong_key_raises_instead_of_returning_ciphertext(self, stored_document, settings):
        settings.SINERGI_FIELD_KEYS = [NEW_KEY]
        with pytest.raises(ImproperlyConfigured):
            Document.objects.get(pk=stored_document.pk)
        with pytest.raises(ImproperlyConfigured):
            crypto.decrypt_bytes(stored_document.blob_path.read_bytes())

    def test_text_that_is_not_ciphertext_is_refused(self):
        with pytest.raises(ValueError, match="not Sinergi ciphertext"):
            crypto.decrypt_str("Siti Aminah")
        with pytest.raises(ValueError, match="not Sinergi ciphertext"):
            crypto.rotate_str("Siti Aminah")

    @pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"], [" ", ""]])
    def test_missing_or_malformed_keys_are_a_configuration_error(self, settings, keys):
        settings.SINERGI_FIELD_KEYS = keys
        with pytest.raises(ImproperlyConfigured) as excinfo:
            crypto.encrypt_str("x")
        assert "not-a-fernet-key" not in str(excinfo.value)

    def test_stray_spaces_and_trailing_commas_in_the_key_list_are_tolerated(self, settings):
        settings.SINERGI_FIELD_KEYS = [f" {NEW_KEY} ", ""]
        assert crypto.decrypt_str(crypto.encrypt_str("x")) == "x"


# ---- Blind index -----------------------------------------------------------------------------

NAME_ALPHABET = string.ascii_letters + string.digits + "éÉüÜ"
names = st.text(alphabet=NAME_ALPHABET + " ", max_size=40)
punctuation = st.text(alphabet="-.,'’\"()/!?:;", min_size=1, max_size=3)


class TestNormalizeText:
    @given(st.text())
    @example("\u1100-\u1161")  # Hangul jamo that compose once the hyphen between them is removed
    def test_it_is_idempotent(self, value):
        once = crypto.normalize_text(value)
        assert crypto.normalize_text(once) == once

    @given(names)
    def test_it_ignores_case(self, value):
        assert crypto.normalize_text(value.upper()) == crypto.normalize_text(value.lower())

    @given(names, st.lists(st.sampled_from([" ", "  ", "\t", "\n", "\u00a0"]), min_size=1, max_size=3))
    def test_it_ignores_surrounding_and_repeated_whitespace(self, value, spaces):
        padded = "".join(spaces) + value.replace(" ", "".join(spaces)) + "".join(spaces)
        assert crypto.normalize_text(padded) == crypto.normalize_text(value)

    @given(names, punctuation, st.integers(min_value=0, max_value=40))
    def test_it_ignores_punctuation(self, value, marks, position):
        position = min(position, len(value))
        assert crypto.normalize_text(value[:position] + marks + value[position:]) == crypto.normalize_text(value)

    def test_it_normalises_an_indonesian_name(self):
        assert crypto.normalize_text("  SITI  Nur-Aini, S.Pd. ") == "siti nuraini spd"


class TestBlindIndex:
    @given(names)
    def test_equal_normalised_names_give_equal_indexes(self, value):
        birth = datetime.date(2012, 5, 17)
        assert crypto.name_birth_index(value.upper(), birth) == crypto.name_birth_index(f" {value.lower()}.", birth)

    def test_it_distinguishes_names_and_birth_dates(self):
        birth = datetime.date(2012, 5, 17)
        index = crypto.name_birth_index("Siti Aminah", birth)
        assert len(index) == 32
        assert index != crypto.name_birth_index("Siti Aminah", birth + datetime.timedelta(days=1))
        assert index != crypto.name_birth_index("Siti Amina", birth)
        assert "siti" not in index

    def test_different_purposes_give_different_indexes(self):
        assert crypto.blind_index("6402011705120001", purpose="nik") != crypto.blind_index(
            "6402011705120001", purpose="kk"
        )

    def test_nik_index_ignores_formatting(self):
        assert crypto.nik_index("6402 0117 0512 0001") == crypto.nik_index("6402-0117-0512-0001")
        assert crypto.nik_index("6402011705120001") != crypto.nik_index("6402011705120002")

    def test_empty_values_have_no_index(self):
        assert crypto.nik_index("") == ""
        assert crypto.nik_index("--") == ""
        assert crypto.name_birth_index("", datetime.date(2012, 5, 17)) == ""
        assert crypto.name_birth_index("?!", datetime.date(2012, 5, 17)) == ""
        assert crypto.name_birth_index("Siti", None) == ""

    def test_the_index_depends_on_the_key(self, settings):
        before = crypto.nik_index("6402011705120001")
        settings.SINERGI_BLIND_INDEX_KEY = "another-test-only-key"
        assert crypto.nik_index("6402011705120001") != before

    def test_a_missing_key_is_a_configuration_error(self, settings):
        settings.SINERGI_BLIND_INDEX_KEY = ""
        with pytest.raises(ImproperlyConfigured):
            crypto.nik_index("6402011705120001")


# ---- Key rotation ----------------------------------------------------------------------------


def run_rotate(*args) -> str:
    out = io.StringIO()
    call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestRotateFieldKeys:
    def test_after_rotation_only_the_new_key_is_needed(self, settings, make_user, tenant):
        settings.SINERGI_FIELD_KEYS = [OLD_KEY]
        documents = [
            store_document(actor=make_user(Role.CASE_MANAGER), owner=AgencyFactory(tenant=tenant), title=f"{TITLE} {i}")
            for i in range(3)
        ]
        settings.SINERGI_FIELD_KEYS = [NEW_KEY, OLD_KEY]

        output = run_rotate("--batch-size", "2")

        assert "documents.Document: 6 rotated, 0 already current, 0 empty" in output
        assert "Document files: 3 rotated" in output
        settings.SINERGI_FIELD_KEYS = [NEW_KEY]
        new_only = Fernet(NEW_KEY.encode())
        for i, document in enumerate(documents):
            title, original_name = raw_columns(document)
            assert new_only.decrypt(title.removeprefix(crypto.CIPHERTEXT_PREFIX).encode()).decode() == f"{TITLE} {i}"
            assert new_only.decrypt(original_name.removeprefix(crypto.CIPHERTEXT_PREFIX).encode()) == b"laporan.pdf"
            assert new_only.decrypt(document.blob_path.read_bytes()) == MINIMAL_PDF
            reloaded = Document.objects.get(pk=document.pk)
            assert reloaded.title == f"{TITLE} {i}"
            assert reloaded.created_at == document.created_at
            assert document_services.document_read(actor=None, document=reloaded) == MINIMAL_PDF
        assert AuditEvent.objects.filter(action="crypto.keys_rotated").count() == 1

    def test_it_is_idempotent(self, settings, stored_document):
        settings.SINERGI_FIELD_KEYS = [NEW_KEY, *settings.SINERGI_FIELD_KEYS]
        run_rotate()
        raw_after_first = raw_columns(stored_document)
        blob_after_first = stored_document.blob_path.read_bytes()

        output = run_rotate()

        assert "documents.Document: 0 rotated, 2 already current, 0 empty" in output
        assert "Document files: 0 rotated, 1 already current, 0 missing" in output
        assert raw_columns(stored_document) == raw_after_first
        assert stored_document.blob_path.read_bytes() == blob_after_first

    def test_empty_values_are_left_alone(self, settings, stored_document):
        Document.objects.filter(pk=stored_document.pk).update(title="")
        settings.SINERGI_FIELD_KEYS = [NEW_KEY, *settings.SINERGI_FIELD_KEYS]
        output = run_rotate()
        assert "documents.Document: 1 rotated, 0 already current, 1 empty" in output
        assert raw_columns(stored_document)[0] == ""

    def test_a_value_no_key_can_decrypt_stops_the_command_without_revealing_it(self, settings, stored_document):
        settings.SINERGI_FIELD_KEYS = [NEW_KEY]  # the key that wrote the data is gone
        with pytest.raises(CommandError) as excinfo:
            run_rotate()
        assert str(stored_document.pk) in str(excinfo.value)
        assert "Siti" not in str(excinfo.value)

    def test_a_missing_blob_is_counted(self, settings, stored_document):
        stored_document.blob_path.unlink()
        settings.SINERGI_FIELD_KEYS = [NEW_KEY, *settings.SINERGI_FIELD_KEYS]
        assert "Document files: 0 rotated, 0 already current, 1 missing" in run_rotate()


def test_generate_field_key_prints_a_usable_fernet_key(settings):
    out = io.StringIO()
    call_command("generate_field_key", stdout=out)
    key = out.getvalue().strip()
    settings.SINERGI_FIELD_KEYS = [key]
    assert crypto.decrypt_str(crypto.encrypt_str("Siti")) == "Siti"
