"""Move existing documents' files from MEDIA_ROOT (public) to DOCUMENT_ROOT (private).

They keep their stored names, so every row's `href` (now the document view) still finds its
file; what was public under /media/documents/ is no longer there.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations


def move(apps, source, target):
    Document = apps.get_model("projects", "Document")
    for document in Document.objects.exclude(file="").only("pk", "file", "original_name"):
        old, new = Path(source) / document.file.name, Path(target) / document.file.name
        if old.is_file() and not new.exists():
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(old, new)
        if not document.original_name:
            Document.objects.filter(pk=document.pk).update(original_name=Path(document.file.name).name)


def to_private(apps, schema_editor):
    move(apps, settings.MEDIA_ROOT, settings.DOCUMENT_ROOT)


def to_public(apps, schema_editor):
    move(apps, settings.DOCUMENT_ROOT, settings.MEDIA_ROOT)


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_document_private_file")]

    operations = [migrations.RunPython(to_private, to_public)]
