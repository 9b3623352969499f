"""Project documents' files: private storage, what may be uploaded, and the view that serves them.

Files live under generated names in DOCUMENT_ROOT, outside every public path (never under
MEDIA_ROOT or STATIC_ROOT), and reach a browser only through `document_file`, which applies the
publication rule of the project page: a published document of a published project for everyone,
anything else only for staff who may see it in the admin, 404 for everyone else.

Uploads are checked by their content against an allowlist (partnership/uploads.py), as validators
of the model field, so the admin, the API and the importer agree.
"""

import io
import os
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from partnership.uploads import ACCEPTED, TYPES, extension, validate_upload  # noqa: F401  (the field's validator)


class DocumentStorage(FileSystemStorage):
    """Files in DOCUMENT_ROOT (read when used, so tests can point it elsewhere), with no public URL."""

    @property
    def base_location(self):
        return settings.DOCUMENT_ROOT

    @property
    def location(self):
        return os.path.abspath(settings.DOCUMENT_ROOT)

    def url(self, name):
        raise ValueError("Document files have no public URL; use Document.href.")


def document_storage():
    return STORAGE


STORAGE = DocumentStorage()


def document_upload_to(instance, filename):
    """A generated name: nothing of the uploader's name reaches the disk but the extension."""
    return f"documents/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class DocumentFieldFile(FieldFile):
    @property
    def url(self):
        # The admin's "Currently:" link and the API's `file` go through the view, like `href`.
        return self.instance.href


class DocumentFileField(models.FileField):
    attr_class = DocumentFieldFile


# --- validation -------------------------------------------------------------------------------


class OversizedUpload(UploadedFile):
    """What is left of an upload past DOCUMENT_MAX_BYTES: its name and size, and no content."""

    def __init__(self, name, content_type, size, charset, content_type_extra):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class UploadSizeLimit(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: stops keeping any uploaded file once it passes DOCUMENT_MAX_BYTES.

    The rest of the file is read from the connection and dropped, so no more than the limit is
    ever held in memory or on disk; the form or serializer then sees a file of the real size and
    refuses it with the validator's message (a 400, never a 500).
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        # Returning None keeps the chunk from the handlers after this one.
        return raw_data if self.received <= settings.DOCUMENT_MAX_BYTES else None

    def file_complete(self, file_size):
        if self.received <= settings.DOCUMENT_MAX_BYTES:
            return None
        return OversizedUpload(self.file_name, self.content_type, self.received, self.charset, self.content_type_extra)


# --- removal ----------------------------------------------------------------------------------


def remove_on_commit(name):
    """Delete a stored file once the transaction that dropped it commits (never on a rollback)."""
    if name:
        transaction.on_commit(lambda: STORAGE.delete(name))


def _remove_deleted_file(sender, instance, **kwargs):
    # post_delete reaches every way a row goes: delete(), a queryset's delete(), a cascade.
    remove_on_commit(instance.file.name)


def watch_deletions(model):
    post_delete.connect(_remove_deleted_file, sender=model, dispatch_uid="document-file-removal")


# --- serving ----------------------------------------------------------------------------------


def document_href(document):
    return reverse("document-file", kwargs={"pk": document.pk, "name": document.download_name})


@require_safe
def document_file(request, pk, name):
    """The file of one document, to those who may see its project page's document list."""
    from partnership.permissions import can_view

    from .models import Document

    document = get_object_or_404(Document.objects.select_related("project"), pk=pk)
    public = Document.objects.published().filter(pk=pk).exists()
    # The name is part of the address: a replaced file's old address finds nothing.
    if not document.file or name != document.download_name or not (public or can_view(request.user, document)):
        raise Http404
    response = file_response(document)
    if not public:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def file_response(document):
    content_type, inline, _sniffed = TYPES.get(extension(document.file.name), ("application/octet-stream", False, 0))
    if settings.DOCUMENT_ACCEL_REDIRECT:
        # The proxy sends the file (an `internal` location over DOCUMENT_ROOT; see README).
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = iri_to_uri(settings.DOCUMENT_ACCEL_REDIRECT + document.file.name)
        response["Content-Disposition"] = content_disposition_header(not inline, document.download_name)
    else:
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, as_attachment=not inline, filename=document.download_name)
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    # Whatever a file holds, it runs no script and reaches nothing of the site's origin.
    response["Content-Security-Policy"] = "sandbox"
    return response
