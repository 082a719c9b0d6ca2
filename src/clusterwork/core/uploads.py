"""Files people upload (a claim's receipt, a kit photo, a library item): checked, kept out of
the web root, and served only through a view that has checked who may see them.

- ``PrivateStorage`` keeps files under ``settings.PRIVATE_MEDIA_ROOT`` (``var/private``): no
  URL serves that folder, so a file is only ever sent by ``serve`` after an access check.
- ``UploadRules`` say which kinds a field takes and how big. The kind is read from the file's
  first bytes, not trusted from its name or the browser's content type: a script renamed
  ``.pdf`` is refused, naming what it really looks like.
- ``serve`` answers the file as a download (``nosniff``, never rendered inline by the browser).

A model field: ``models.FileField(storage=PrivateStorage(), upload_to=…,
validators=[EVIDENCE])``; a form field: ``forms.FileField(validators=[EVIDENCE])``.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible

# What a file is, by its first bytes (and the names it may go by).
SIGNATURES: dict[str, tuple[tuple[bytes, ...], tuple[str, ...]]] = {
    "pdf": ((b"%PDF-",), (".pdf",)),
    "png": ((b"\x89PNG\r\n\x1a\n",), (".png",)),
    "jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg")),
    # Office documents are zip files.
    "office": ((b"PK\x03\x04",), (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")),
}
LABELS = {"pdf": "PDF", "png": "PNG image", "jpeg": "JPEG image", "office": "Office document"}


def sniff(head: bytes) -> str | None:
    """The kind a file's first bytes say it is (``pdf``, ``png``…), or None."""
    for kind, (starts, _) in SIGNATURES.items():
        if head.startswith(starts):
            return kind
    return None


@deconstructible
class UploadRules:
    """A validator (for a form or model field) of the kinds and size an upload may have."""

    def __init__(self, kinds: tuple[str, ...], max_bytes: int):
        self.kinds, self.max_bytes = tuple(kinds), max_bytes

    def __eq__(self, other):
        return isinstance(other, UploadRules) and (other.kinds, other.max_bytes) == (
            self.kinds,
            self.max_bytes,
        )

    @property
    def described(self) -> str:
        return " or ".join(LABELS[k] for k in self.kinds)

    def __call__(self, upload) -> None:
        """Refuse ``upload`` unless it is one of ``kinds`` (by content and name) and small
        enough; the message says what is wrong with this file."""
        name = PurePath(getattr(upload, "name", "") or "file").name
        if upload.size > self.max_bytes:
            raise ValidationError(
                f"{name} is {upload.size / 1_000_000:.1f} MB; files may be up to "
                f"{self.max_bytes / 1_000_000:.0f} MB."
            )
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(16)
        upload.seek(position)
        kind = sniff(head)
        suffix = PurePath(name).suffix.lower()
        if kind not in self.kinds:
            looks = f"it looks like {LABELS[kind].lower()}" if kind else "its content is not"
            raise ValidationError(f"{name}: the file must be a {self.described}; {looks}.")
        if suffix not in SIGNATURES[kind][1]:
            raise ValidationError(
                f"{name}: its name ends {suffix or 'without an extension'} but it is a "
                f"{LABELS[kind]}; name it {SIGNATURES[kind][1][0]}."
            )


# Receipts and invoices; photos of kit; the cluster library's documents.
EVIDENCE = UploadRules(kinds=("pdf", "png", "jpeg"), max_bytes=10_000_000)
PHOTO = UploadRules(kinds=("png", "jpeg"), max_bytes=5_000_000)
DOCUMENT = UploadRules(kinds=("pdf", "png", "jpeg", "office"), max_bytes=20_000_000)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Uploaded files under ``settings.PRIVATE_MEDIA_ROOT``, read when used (so tests and
    deployments may move it), with no URL: ``serve`` sends them."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def serve(file_field, *, download_name: str = ""):
    """Send an uploaded file the caller has already checked the user may see."""
    if not file_field:
        raise Http404("No file.")
    try:
        handle = file_field.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    name = download_name or PurePath(file_field.name).name
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
