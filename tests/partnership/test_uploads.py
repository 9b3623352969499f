"""Agreements' files pass the same allowlist as project documents (partnership/uploads.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("treaty.html", b"<html><script>alert(1)</script></html>"),
        ("treaty.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("treaty.pdf", b"<html>not a pdf</html>"),
        ("treaty.exe", b"MZ\x90\x00\x03"),
    ],
)
def test_an_agreement_refuses_files_that_are_not_on_the_allowlist(name, content):
    agreement = f.AgreementFactory()
    agreement.file = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert "file" in refused.value.message_dict


def test_an_agreement_accepts_a_pdf():
    agreement = f.AgreementFactory()
    agreement.file = SimpleUploadedFile("treaty.pdf", PDF)
    agreement.full_clean()
