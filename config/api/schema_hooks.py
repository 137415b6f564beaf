"""The schema's last touches, made on the whole document (drf-spectacular's postprocessing
hooks, named in SPECTACULAR_SETTINGS) so that client generators can use it as it is:

- `format_operations`: CSV, NDJSON and JSON-LD at addresses of their own, each operation with
  the media types it answers, so that no client parses a CSV as JSON;
- `name_enums`: names for enum values (`-date` is `DATE_DESC`), and each ordering's values as a
  component of their own.

The generated Python and TypeScript clients are tested against a live server
(tests/test_clients.py).
"""

import copy
import re

FORMAT_NAMES = {
    "text/csv": "csv",
    "application/x-ndjson": "ndjson",
    "application/ld+json": "jsonld",
}
FORMAT_TITLES = {"csv": "CSV", "ndjson": "NDJSON", "jsonld": "JSON-LD"}


def name_enums(result: dict, generator, request, public) -> dict:
    """Names generated clients give enum values (`x-enum-varnames`, which openapi-python-client
    and openapi-generator read): `-date` is `DATE_DESC`, not `VALUE_0`. Each ordering's values
    become a component of their own (`StatementsOrderingEnum`), shared by the operations that
    take the same ones."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "ordering":
                    _share_ordering(parameter, operation, components)
    _name_values(result)
    return result


def _share_ordering(parameter: dict, operation: dict, components: dict) -> None:
    holder = parameter["schema"].get("anyOf", [parameter["schema"]])
    enum = holder[0]
    name = f"{operation['tags'][0].title()}OrderingEnum"
    if components.get(name, enum) != enum:
        name = "".join(word.title() for word in operation["operationId"].split("_")) + "Ordering"
    components[name] = enum
    holder[0] = {"$ref": f"#/components/schemas/{name}"}
    if "anyOf" not in parameter["schema"]:
        parameter["schema"] = holder[0]


def enum_name(value: str) -> str:
    """`-date` -> DATE_DESC, `ceasefire-terms` -> CEASEFIRE_TERMS, `` -> BLANK."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", value.lstrip("-")).strip("_").upper() or "BLANK"
    if name[0].isdigit():
        name = f"V{name}"
    return f"{name}_DESC" if value.startswith("-") else name


def _name_values(node) -> None:
    if isinstance(node, list):
        for item in node:
            _name_values(item)
        return
    if not isinstance(node, dict):
        return
    values = node.get("enum")
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        names = [enum_name(value) for value in values]
        if len(set(names)) == len(names):
            node["x-enum-varnames"] = names
    for child in node.values():
        _name_values(child)


def format_operations(result: dict, generator, request, public) -> dict:
    """Each list and record in CSV, NDJSON and JSON-LD at an address of its own, as the router
    serves them: `GET /api/v1/statements.{format}` and `/api/v1/statements/{slug}.{format}`.
    The JSON operation then declares JSON alone: a generated client reads each answer as the
    one media type its operation declares (openapi-python-client parses the first it knows,
    openapi-fetch types `data` as the union of all), so a CSV is never parsed as JSON and a
    JSON answer needs no hand-written media type. A format's address only reads
    (`config.api.viewsets.RecordViewSet.allowed_methods`)."""
    paths = {}
    for path, operations in result["paths"].items():
        paths[path] = operations
        operation = operations.get("get")
        content = operation["responses"]["200"].get("content", {}) if operation else {}
        others = {media: body for media, body in content.items() if media in FORMAT_NAMES}
        if not others:
            continue
        for media in others:
            del content[media]
        file = copy.deepcopy(operation)
        file["responses"]["200"]["content"] = others
        # writes follow from the JSON record, whose ETag is the one they take
        file["responses"]["200"].pop("links", None)
        operation["parameters"] = [p for p in operation["parameters"] if p["name"] != "format"]
        names = [FORMAT_NAMES[media] for media in others]
        titles = ", ".join(FORMAT_TITLES[name] for name in names[:-1])
        titles = f"{titles} or {FORMAT_TITLES[names[-1]]}" if titles else FORMAT_TITLES[names[0]]
        file["operationId"] = f"{operation['operationId']}_as_file"
        file["summary"] = f"{operation['summary']} as {titles}"
        file["description"] = f"{operation['description']}\n\nThe same as `{path}`, in {titles}."
        if "{slug}" not in path:
            file["description"] += (
                " The list is the whole result, streamed as it is read, unless a page parameter "
                "(`page`, `page_size`, `paging`, `cursor`) is given: then it is that page, its "
                "neighbours in the `Link` header."
            )
        file["parameters"] = [
            {
                "in": "path",
                "name": "format",
                "required": True,
                "description": "The format: " + ", ".join(f"`{name}`" for name in names) + ".",
                "schema": {"type": "string", "enum": names},
                "example": names[0],
            },
            *(p for p in file["parameters"] if p["name"] != "format"),
        ]
        operation["description"] += (
            f"\n\nAs {titles}: `{path.rstrip('/')}.{{format}}` (or the Accept header, or "
            "`?format=`)."
        )
        paths[path.rstrip("/") + ".{format}"] = {"get": file}
    result["paths"] = paths
    return result
