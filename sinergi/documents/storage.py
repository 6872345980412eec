"""Where the encrypted blobs live: a Django storage under the alias `sinergi_documents`.

The default is the local folder `SINERGI_PRIVATE_STORAGE`; several app servers can share an
S3-compatible bucket instead (django-storages, see docs/document-storage.md). Blobs are encrypted
before they reach any backend, so the bucket only ever holds ciphertext.
"""

import contextlib
import os
import tempfile

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages

STORAGE_ALIAS = "sinergi_documents"


def document_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def overwrites_in_place(storage: Storage) -> bool:
    """Whether saving under an existing name replaces the blob (our local folder, S3 with file_overwrite)."""
    return bool(getattr(storage, "_allow_overwrite", False) or getattr(storage, "file_overwrite", False))


class PrivateFileSystemStorage(FileSystemStorage):
    """The local folder: never served by URL, owner-only permissions, atomic writes.

    The folder is read from settings on every call (not cached), so a test or a management command
    that points SINERGI_PRIVATE_STORAGE elsewhere is followed at once.
    """

    def __init__(self, location=None, file_permissions_mode=0o600, directory_permissions_mode=0o700, **kwargs):
        kwargs.pop("base_url", None)
        kwargs.pop("allow_overwrite", None)
        super().__init__(
            location=location,
            base_url=None,
            file_permissions_mode=file_permissions_mode,
            directory_permissions_mode=directory_permissions_mode,
            # Key rotation rewrites a blob under its own name; new blobs get fresh random names.
            allow_overwrite=True,
        )

    _location: str | None  # set by FileSystemStorage.__init__ (absent from the stubs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.SINERGI_PRIVATE_STORAGE)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Documents are served only through the permission-checked views.")

    def _save(self, name, content):
        # Write to a temporary file and rename it: a crash mid-write never leaves a truncated blob
        # under a real name (FileSystemStorage truncates in place when overwriting).
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, mode=self.directory_permissions_mode or 0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in content.chunks():
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(tmp, self.file_permissions_mode)
            os.replace(tmp, full_path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return name.replace("\\", "/")
