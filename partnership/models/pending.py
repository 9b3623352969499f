"""Changes proposed by editors to published content, held until the secretariat reviews them."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStamped


def person(label, related_name):
    """A user named on the change, kept as empty if the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=label,
    )


class PendingChange(TimeStamped):
    """An editor's change to a published record: the proposed values of the fields the public sees."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned with comments")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    values = models.JSONField(
        _("proposed values"), default=dict, encoder=DjangoJSONEncoder, help_text=_("Field name → proposed value.")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    author = person(_("author"), "proposed_changes")
    review_comment = models.TextField(_("review comment"), blank=True, help_text=_("Why it was returned."))
    reviewer = person(_("reviewer"), "reviewed_changes")

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        indexes = [models.Index(fields=["content_type", "object_id"], name="pendingchange_record")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state="pending"),
                name="pendingchange_one_pending_per_record",
                violation_error_message=_("This record already has a change waiting for approval."),
            )
        ]

    def __str__(self):
        return _("Change to %(record)s") % {"record": self.record}
