"""Documents' files: private storage, served only by the view that checks publication, uploads checked by content."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from projects.models import Document, Publication
from tests import factories as f
from tests.helpers import admin_url, assert_error, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    """Files of each test in its own private directory, and a public MEDIA_ROOT beside it."""
    settings.DOCUMENT_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.DOCUMENT_ROOT


def upload(name, content):
    return SimpleUploadedFile(name, content)


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def with_file(name="report.pdf", content=PDF, **kwargs):
    return f.DocumentFactory(url="", file=upload(name, content), **kwargs)


def fetch(client, document):
    return client.get(document.href)


def content_of(response):
    return b"".join(response.streaming_content)


# --- storage and the view ----------------------------------------------------------------------


def test_a_file_is_stored_privately_under_a_generated_name(document_root, settings):
    document = with_file("Annual report 2024.pdf")
    stored = document_root / document.file.name
    assert stored.read_bytes() == PDF
    assert "Annual" not in document.file.name and document.file.name.endswith(".pdf")
    assert document.original_name == "Annual report 2024.pdf"
    assert not (settings.MEDIA_ROOT / document.file.name).exists()
    assert document.href == f"/documents/{document.pk}/Annual%20report%202024.pdf"


def test_everyone_gets_a_published_document_of_a_published_project(client):
    document = with_file()
    response = fetch(client, document)
    assert response.status_code == 200
    assert content_of(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "private" not in response.get("Cache-Control", "")


def test_the_project_page_and_the_api_link_the_view(client, api):
    document = with_file()
    assert f'href="{document.href}"' in client.get(document.project.get_absolute_url()).content.decode()
    body = api.get(f"/api/v1/documents/{document.pk}/").json()
    assert body["href"] == document.href
    assert body["file"] == f"http://testserver{document.href}"


def test_office_documents_and_text_download_as_attachments(client):
    for name, content, content_type in [
        ("minutes.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("figures.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("data.csv", "year,city\n2024,Ташкент < 7\n".encode(), "text/csv; charset=utf-8"),
    ]:
        response = fetch(client, with_file(name, content))
        assert response.status_code == 200, name
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize(
    "hidden",
    [
        {"published": False},
        {"project__publication": Publication.DRAFT},
        {"project__publication": Publication.SUBMITTED},
    ],
)
def test_anonymous_visitors_do_not_get_unpublished_files(client, hidden):
    document = with_file(**hidden)
    assert fetch(client, document).status_code == 404


def test_deleted_and_replaced_files_are_gone(client, document_root, django_capture_on_commit_callbacks):
    kept, deleted = with_file(), with_file()
    old_href, old_file = kept.href, document_root / kept.file.name
    with django_capture_on_commit_callbacks(execute=True):
        kept.file = upload("second.pdf", PDF + b"%v2")
        kept.save()
    assert not old_file.exists()
    assert client.get(old_href).status_code == 404
    assert content_of(fetch(client, kept)) == PDF + b"%v2"

    href, stored = deleted.href, document_root / deleted.file.name
    with django_capture_on_commit_callbacks(execute=True):
        deleted.delete()
    assert not stored.exists()
    assert client.get(href).status_code == 404


def test_bulk_and_cascade_deletes_remove_files(document_root, django_capture_on_commit_callbacks):
    one, two = with_file(), with_file()
    third = with_file()
    files = [document_root / d.file.name for d in (one, two, third)]
    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.filter(pk__in=[one.pk, two.pk]).delete()
        third.project.delete()
    assert not any(path.exists() for path in files)


def test_a_rolled_back_delete_keeps_the_file(document_root, django_capture_on_commit_callbacks):
    document = with_file()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document.delete()
    assert callbacks and (document_root / document.file.name).exists()


def test_the_old_media_path_finds_nothing(client):
    document = with_file()
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/media/documents/{document.original_name}").status_code == 404


def test_staff_who_may_see_it_get_a_draft_file_privately(client, make_editor, secretariat):
    group = f.WorkingGroupFactory()
    document = with_file(project__working_group=group, project__publication=Publication.DRAFT)
    for user in (secretariat, make_editor(group)):
        client.force_login(user)
        response = fetch(client, document)
        assert response.status_code == 200
        assert content_of(response) == PDF
        assert "private" in response["Cache-Control"]
    client.force_login(make_editor(f.WorkingGroupFactory()))
    assert fetch(client, document).status_code == 404


def test_a_wrong_name_or_number_finds_nothing(client):
    document = with_file()
    assert client.get(f"/documents/{document.pk}/other.pdf").status_code == 404
    assert client.get("/documents/999999/report.pdf").status_code == 404


def test_the_proxy_can_send_the_file(client, settings):
    settings.DOCUMENT_ACCEL_REDIRECT = "/protected/"
    document = with_file()
    response = fetch(client, document)
    assert response["X-Accel-Redirect"] == f"/protected/{document.file.name}"
    assert response["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert response.content == b""


def test_a_link_document_still_links(client):
    document = f.DocumentFactory(url="https://example.org/study.pdf")
    assert document.href == "https://example.org/study.pdf"


# --- uploads --------------------------------------------------------------------------------------

REFUSED = [
    ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "not accepted"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not accepted"),
    ("app.js", b"fetch('/admin/').then(r => r.text())", "not accepted"),
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64, "not accepted"),
    ("tool.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "not what its name"),
    ("photo.png", PDF, "not what its name"),
    ("report.pdf", b"Just some text, not a PDF.\n", "not what its name"),
    ("notes.txt", b"<html><body onload=alert(1)>", "not accepted, not even as text"),
    ("notes.txt", b"#!/bin/sh\nrm -rf /\n", "Scripts are not accepted"),
    ("data.csv", b"\xff\xfe binary \x00 junk", "must be UTF-8 text"),
]


def admin_post(client, project, file):
    data = {"project": project.pk, "title_en": "Attached", "kind": "report", "url": "", "file": file}
    return client.post(admin_url(Document, "add"), data)


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_dangerous_or_misnamed_uploads_are_refused_in_the_admin(client, secretariat, name, content, message):
    client.force_login(secretariat)
    response = admin_post(client, f.ProjectFactory(), upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.filter(title="Attached").exists()


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_dangerous_or_misnamed_uploads_are_refused_by_the_api(secretariat, name, content, message):
    body = {"project": f.ProjectFactory().slug, "title": "Attached", "file": upload(name, content)}
    error = assert_error(client_for(secretariat).post("/api/v1/documents/", body, format="multipart"), 400, "file")
    assert message in error["errors"]["file"][0]
    assert not Document.objects.filter(title="Attached").exists()


def test_accepted_uploads_through_the_admin_and_the_api(client, secretariat, document_root):
    client.force_login(secretariat)
    response = admin_post(client, f.ProjectFactory(), upload("Plan.PDF", PDF))
    assert response.status_code == 302
    document = Document.objects.get(title="Attached")
    assert (document_root / document.file.name).read_bytes() == PDF and document.original_name == "Plan.PDF"

    body = {"project": f.ProjectFactory().slug, "title": "Sheet", "file": upload("sheet.xlsx", xlsx())}
    response = client_for(secretariat).post("/api/v1/documents/", body, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["href"] == Document.objects.get(title="Sheet").href


def test_a_file_over_the_limit_is_refused_without_being_kept(client, secretariat, settings, document_root):
    settings.DOCUMENT_MAX_BYTES = 1000
    client.force_login(secretariat)
    big = PDF + b"%" * 300_000
    response = admin_post(client, f.ProjectFactory(), upload("big.pdf", big))
    assert response.status_code == 200
    assert "The file is 293.0\xa0KB; files may be at most 1000\xa0bytes." in response.content.decode()
    body = {"project": f.ProjectFactory().slug, "title": "Attached", "file": upload("big.pdf", big)}
    error = assert_error(client_for(secretariat).post("/api/v1/documents/", body, format="multipart"), 400, "file")
    assert "files may be at most 1000" in error["errors"]["file"][0]
    assert not Document.objects.filter(title="Attached").exists()
    assert not document_root.exists() or not any(document_root.rglob("*.pdf"))


def test_an_editor_of_another_group_cannot_attach_a_file(make_editor):
    project = f.ProjectFactory()
    client = client_for(make_editor(f.WorkingGroupFactory()))
    body = {"project": project.slug, "title": "Attached", "file": upload("report.pdf", PDF)}
    assert client.post("/api/v1/documents/", body, format="multipart").status_code in (400, 403)
    assert not Document.objects.filter(title="Attached").exists()
