"""Uploads are checked by what they are, not what they are called, and kept out of reach."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterwork.core.uploads import EVIDENCE, PHOTO, private_storage, sniff

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_a_real_pdf_and_a_real_png_are_taken():
    EVIDENCE(SimpleUploadedFile("receipt.pdf", PDF))
    EVIDENCE(SimpleUploadedFile("receipt.PNG", PNG))
    PHOTO(SimpleUploadedFile("kit.png", PNG))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", b"#!/bin/sh\nrm -rf /\n", "its content is not"),
        ("invoice.pdf", b"<script>alert(1)</script>", "its content is not"),
        ("invoice.pdf", PNG, "name it .png"),
        ("invoice.exe", PDF, "name it .pdf"),
        ("photo.png", PDF, "must be a PNG image or JPEG image; it looks like pdf"),
    ],
)
def test_wrong_kinds_are_refused_naming_the_file_and_what_it_is(name, content, message):
    rules = PHOTO if name.startswith("photo") else EVIDENCE
    with pytest.raises(ValidationError, match=message) as refused:
        rules(SimpleUploadedFile(name, content))
    assert name in refused.value.messages[0]


def test_a_file_too_big_is_refused_with_its_size():
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * 10_000_001)
    with pytest.raises(ValidationError, match=r"scan.pdf is 10.0 MB; files may be up to 10 MB"):
        EVIDENCE(big)


def test_sniffing_reads_the_first_bytes():
    assert sniff(PDF) == "pdf" and sniff(PNG) == "png" and sniff(b"GIF89a") is None


def test_private_files_are_kept_outside_the_web_root():
    root = private_storage().location
    assert root == str(settings.PRIVATE_MEDIA_ROOT)
    for public in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        assert not str(root).startswith(str(public))


def test_a_kept_file_is_served_as_a_download_only(tmp_path, settings):
    from django.core.files.base import ContentFile

    from clusterwork.core.uploads import PrivateStorage, serve

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    storage = PrivateStorage()
    name = storage.save("claims/receipt.pdf", ContentFile(PDF))
    assert (tmp_path / name).read_bytes() == PDF

    class Kept:  # what a FileField gives
        def __init__(self, name):
            self.name = name

        def __bool__(self):
            return True

        def open(self, mode):
            return storage.open(self.name, mode)

    response = serve(Kept(name), download_name="Receipt.pdf")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
