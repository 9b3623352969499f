"""The API's JSON parser, with limits: a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413
and JSON nested deeper than API_MAX_JSON_DEPTH a 400, both in the API's error shape, where
Python's parser would run out of memory or recursion (a 500)."""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text):
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings aside)."""
    depth = deepest = 0
    for match in BRACKET.finditer(STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(body) > limit:
            raise RequestTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        if nesting_depth(text) > settings.API_MAX_JSON_DEPTH:
            raise ParseError(
                _("JSON nested deeper than %(depth)s levels is not accepted.") % {"depth": settings.API_MAX_JSON_DEPTH}
            )
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
