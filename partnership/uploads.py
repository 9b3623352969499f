"""What may be uploaded: an allowlist checked by content, not by name, and a size limit.

Used as a field validator wherever a file is uploaded (project documents, agreements' files), so
the admin, the API and the importer refuse the same files with the same message. Content is read
with `filetype` (magic bytes); the name's extension must agree with it; text must be UTF-8 with
no markup a browser would render or run.
"""

import codecs
import re
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Accepted extensions: the type served, whether a browser may show it inline, and the type
# `filetype` must find in the content (None: UTF-8 text, checked below).
TYPES = {
    "pdf": ("application/pdf", True, "pdf"),
    "png": ("image/png", True, "png"),
    "jpg": ("image/jpeg", True, "jpg"),
    "jpeg": ("image/jpeg", True, "jpg"),
    "gif": ("image/gif", True, "gif"),
    "webp": ("image/webp", True, "webp"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", False, "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False, "xlsx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", False, "pptx"),
    "odt": ("application/vnd.oasis.opendocument.text", False, "odt"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", False, "ods"),
    "odp": ("application/vnd.oasis.opendocument.presentation", False, "odp"),
    "doc": ("application/msword", False, "doc"),
    "xls": ("application/vnd.ms-excel", False, "xls"),
    "ppt": ("application/vnd.ms-powerpoint", False, "ppt"),
    "csv": ("text/csv; charset=utf-8", False, None),
    "txt": ("text/plain; charset=utf-8", False, None),
}
ACCEPTED = _(
    "Upload a PDF, an image (PNG, JPEG, GIF, WebP), an office document (Word, Excel, PowerPoint, OpenDocument) or a CSV or text file."
)
# Markup a browser would render or run, wherever it appears in a "text" file.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|\?xml|html|head|body|script|svg|iframe|frame|object|embed|img|meta|link|style|base|form|math)\b",
    re.IGNORECASE,
)
OVERLAP = 64  # bytes carried from one chunk to the next, so that a tag split between them is seen


def extension(name):
    return PurePath(name).suffix.lower().lstrip(".")


def validate_upload(value):
    """Refuse what is not on the allowlist by content, too large, or named as something else."""
    if getattr(value, "_committed", False):
        return  # stored already: checked when it was uploaded
    upload = getattr(value, "file", value)
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="file_empty")
    ext = extension(upload.name)
    if ext not in TYPES:
        raise ValidationError(
            _("Files named .%(ext)s are not accepted. %(accepted)s"),
            code="file_type",
            params={"ext": ext or "?", "accepted": ACCEPTED},
        )
    upload.seek(0)
    found = filetype.guess(upload.read(8192))
    upload.seek(0)
    expected = TYPES[ext][2]
    if (found.extension if found else None) != expected:
        raise ValidationError(
            _("The content of this file is not what its name (.%(ext)s) says. %(accepted)s"),
            code="file_content",
            params={"ext": ext, "accepted": ACCEPTED},
        )
    if expected is None:
        check_text(upload)


def check_text(upload):
    """UTF-8 text with no markup a browser would render, and no script (#!) line first."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    carried = b""
    start = True
    try:
        for chunk in upload.chunks():
            if start and chunk.lstrip(codecs.BOM_UTF8).startswith(b"#!"):
                raise ValidationError(_("Scripts are not accepted."), code="file_script")
            start = False
            decoder.decode(chunk)
            if b"\x00" in chunk:
                raise UnicodeDecodeError("utf-8", chunk, 0, 1, "NUL byte")
            if MARKUP.search(carried + chunk):
                raise ValidationError(
                    _("Web pages, SVG images and scripts are not accepted, not even as text."), code="file_markup"
                )
            carried = chunk[-OVERLAP:]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ValidationError(
            _("A CSV or text file must be UTF-8 text. %(accepted)s"), code="file_content", params={"accepted": ACCEPTED}
        ) from None
    finally:
        upload.seek(0)
