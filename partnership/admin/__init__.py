"""Data entry for the commission side: bodies, people, meetings, decisions, agreements, trade, events.

Every admin keeps a history with values (django-simple-history) and, for translated models, one
field per site language (django-modeltranslation). The base classes (admin/base.py) are shared
with projects/admin/. Roles come from Django model permissions granted by `manage.py setup_roles`:
the secretariat has them all, working-group editors read the reference data only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import bodies, records  # noqa: F401  (registers the admins)
from .base import (  # noqa: F401
    DemoListFilter,
    FieldRulesMixin,
    FileTransferMixin,
    HistoryAdmin,
    TranslatedHistoryAdmin,
    badge,
    demo_column,
    flag_column,
    yes_no_filter,
)

admin.site.site_header = _("Intergovernmental commission · partnership tracker")
admin.site.site_title = _("Partnership tracker admin")
admin.site.index_title = _("Data entry")
