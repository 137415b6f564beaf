"""The one parser of write bodies: JSON, bounded in size and nesting, valid Unicode only.

A body longer than Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB) is a 413: Django refuses to
read it (config.api.exceptions). JSON nested deeper than `MAX_JSON_DEPTH` is a 400 naming the limit
(no record of ours nests past four levels, and Python's parser would otherwise recurse until it
fails). A string or key holding a lone surrogate (`"\\ud800"`, which JSON may spell but no
UTF-8 text holds) is a 400, as are `NaN` and `Infinity`, which are not JSON.
"""

import codecs
import json

from django.conf import settings
from rest_framework import exceptions, parsers

MAX_JSON_DEPTH = 20


def _not_json(constant: str):
    raise ValueError(f"{constant} is not a JSON value")


def check_structure(data, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuses `data` (parsed JSON) nested deeper than `limit`, or holding a string that is not
    valid Unicode. Iterative: a deep body must not make the check recurse either."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                raise exceptions.ParseError(f"JSON nested deeper than {limit} levels.")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise exceptions.ParseError(
            "JSON parse error - a string holds a lone surrogate (\\ud800-\\udfff), which is "
            "not a character."
        ) from error


class JSONParser(parsers.JSONParser):
    """REST framework's JSON parser, with the limits above."""

    def parse(self, stream, media_type=None, parser_context=None):
        # REST framework hands a JSON parser the whole body, read through `request.body`, which
        # refuses one past DATA_UPLOAD_MAX_MEMORY_SIZE (a 413: config.api.exceptions)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(stream.read(), encoding)
            data = json.loads(text, parse_constant=_not_json)
        except RecursionError as error:
            raise exceptions.ParseError(
                f"JSON nested deeper than {MAX_JSON_DEPTH} levels."
            ) from error
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        check_structure(data)
        return data
