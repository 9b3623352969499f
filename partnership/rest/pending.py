"""The API face of partnership/pending.py: an editor's change to a live record, and its review.

GET …/<record>/pending/ shows the change waiting (or the last one returned, with its comment)
field by field against the live version, to staff who may see the record; POST
…/pending/approve/ and …/pending/return/ (with a `comment`) are the secretariat's, through
partnership.workflow.transition. A PATCH or PUT by an editor to a live record answers 202 with
the pending change (see StaffWriteViewSet.update).
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import pending
from ..models import PendingChange
from ..permissions import can_view
from ..workflow import transition


class DifferenceSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field's name, as the API writes it.")
    label = serializers.CharField(help_text="The field's name as people read it.")
    old = serializers.CharField(help_text="The published value.")
    new = serializers.CharField(help_text="The proposed value.")


class PendingChangeSerializer(serializers.ModelSerializer):
    """An editor's change to a published record, waiting for (or returned by) the secretariat."""

    author = serializers.CharField(source="author.get_username", read_only=True, allow_null=True, default=None)
    reviewer = serializers.CharField(source="reviewer.get_username", read_only=True, allow_null=True, default=None)
    changes = serializers.SerializerMethodField(help_text="Each proposed field against the published value.")
    message = serializers.SerializerMethodField()

    class Meta:
        model = PendingChange
        fields = ["id", "state", "author", "created", "updated", "review_comment", "reviewer", "message", "changes"]

    @extend_schema_field(DifferenceSerializer(many=True))
    def get_changes(self, change):
        return DifferenceSerializer(pending.differences(change, self.context.get("record")), many=True).data

    def get_message(self, change) -> str:
        if change.state == PendingChange.State.PENDING:
            return str(pending.HELD)
        return str(change.get_state_display())


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="Why the change goes back to its editor.", allow_blank=True)


def pending_response(request, record, change, status_code=200):
    data = PendingChangeSerializer(change, context={"record": record, "request": request}).data
    return Response(data, status=status_code)


class PendingActions:
    """GET …/pending/, POST …/pending/approve/ and …/pending/return/ on a resource with a workflow."""

    def reviewed_record(self):
        record = self.get_object()
        if not can_view(self.request.user, record):
            raise exceptions.PermissionDenied(_("Only staff who may edit this record see its pending change."))
        return record

    @extend_schema(summary="The change waiting for approval (staff)", responses=PendingChangeSerializer)
    @action(detail=True, methods=["get"], url_path="pending", url_name="pending")
    def pending(self, request, *args, **kwargs):
        record = self.reviewed_record()
        change = pending.latest(record)
        if change is None:
            raise exceptions.NotFound(_("No change waits for approval."))
        return pending_response(self.request, record, change)

    def review(self, step, comment=""):
        record = self.reviewed_record()
        change = pending.current(record)
        if change is None:
            raise exceptions.NotFound(_("No change waits for approval."))
        change = transition(change, step, user=self.request.user, comment=comment)
        return pending_response(self.request, type(record)._default_manager.get(pk=record.pk), change)

    @extend_schema(
        summary="Approve the change: the public sees it (secretariat)", request=None, responses=PendingChangeSerializer
    )
    @action(detail=True, methods=["post"], url_path="pending/approve", url_name="pending-approve")
    def approve_pending(self, request, *args, **kwargs):
        return self.review("approve")

    @extend_schema(
        summary="Return the change to its editor with a comment (secretariat)",
        request=ReviewSerializer,
        responses=PendingChangeSerializer,
    )
    @action(detail=True, methods=["post"], url_path="pending/return", url_name="pending-return")
    def return_pending(self, request, *args, **kwargs):
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.review("return", serializer.validated_data["comment"])
