"""How the API describes itself in OpenAPI: its filters' bounds, its errors, CSV as text."""

import django_filters
from django import forms
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


class FilterBackendSchema(DjangoFilterExtension):
    """The django-filter parameters, with the numeric bounds the API enforces."""

    target_class = "partnership.rest.filtering.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, django_filters.ModelMultipleChoiceFilter):
            # Records named by slug or code, repeatable: ?sector=energy&sector=transport.
            return [
                build_parameter_type(
                    name=field_name,
                    location=OpenApiParameter.QUERY,
                    description=f"{filter_field.label} ({filter_field.extra.get('to_field_name', 'id')}); repeatable.",
                    schema=build_array_type(build_basic_type(OpenApiTypes.STR)),
                    explode=True,
                    style="form",
                )
            ]
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if isinstance(filter_field, django_filters.NumberFilter):
            for parameter in parameters:
                schema = parameter["schema"]
                if filter_field.field_class is forms.IntegerField:
                    schema["type"] = "integer"
                    schema.pop("format", None)
                schema["minimum"] = filter_field.extra["min_value"]
                schema["maximum"] = filter_field.extra["max_value"]
        return parameters


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API has this shape.",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in a sentence."},
        "code": {"type": "string", "description": "A machine-readable code, e.g. invalid, not_found."},
        "errors": {
            "type": "object",
            "description": "Messages per query parameter or body field (dotted for nested fields).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "code", "errors"],
}
ERRORS = {
    "400": "A query parameter or body field is wrong; `errors` names it.",
    "401": "No or bad credentials for a write.",
    "403": "The user may not make this change (nothing was changed).",
    "404": "No such record (or only unpublished), or a page past the end (`errors.page`).",
    "406": "No format the client accepts (json and csv are offered).",
    "409": "The change conflicts with stored records.",
    "415": "The body is not JSON.",
    "429": "Too many requests from this address; see the Retry-After header.",
}
READ_ERRORS = ("400", "404", "406", "429")
# Reads for staff only (a record's pending change): who asks matters, as for writes.
STAFF_READ_ERRORS = ("400", "401", "403", "404", "406", "429")
STAFF_READS = ("/pending/",)
WRITE_ERRORS = ("400", "401", "403", "404", "406", "409", "415", "429")


def document_errors(result, generator, request, public):
    """Postprocessing hook: the error shape on every operation, 304 on reads, CSV as text."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for name, path in result.get("paths", {}).items():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            reading = method == "get"
            codes = WRITE_ERRORS
            if reading:
                codes = STAFF_READ_ERRORS if name.endswith(STAFF_READS) else READ_ERRORS
            for code in codes:
                responses.setdefault(
                    code, {"description": ERRORS[code], "content": {"application/json": {"schema": reference}}}
                )
            if reading:
                responses.setdefault("304", {"description": "Not modified: the ETag sent in If-None-Match matches."})
                # Reads need no credentials.
                security = operation.setdefault("security", [])
                if {} not in security:
                    security.append({})
            for response in responses.values():
                csv = response.get("content", {}).get("text/csv")
                if csv is not None:
                    csv["schema"] = {
                        "type": "string",
                        "description": "CSV with a header row; one row per record, nested fields as dotted "
                        'columns, lists joined with "; ".',
                    }
    return result
