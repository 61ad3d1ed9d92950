"""Schemathesis hooks for Cordon (loaded through SCHEMATHESIS_HOOKS by run.sh).

Three narrow exceptions; every other failure of every check is kept.

1. positive_data_acceptance (ST202) on a 400 for a documented cross-field
   rule. JSON Schema cannot relate two query parameters (level vs the
   region's level, from..to spans, dim vs metric) or a parameter and the
   server's data (a well-formed region code the registry does not hold, a
   metric name the catalogue lacks), so the document states those rules in
   the operation's `x-cross-field-rules` (generated from @cordon/schemas'
   cross-field table). Such a 400 is forgiven when every field it names is
   one a rule names.

2. positive_data_acceptance (ST202) on a 400 for a value Schemathesis drew
   against its own schema. Schemathesis 4.32.5 validates patterns with
   jsonschema-rs, which cannot compile a pattern that names UTF-16
   surrogates; it drops such a pattern ("Unsupported regex patterns" in its
   output) and then draws, as "valid", text with control characters for
   `name` or `search`. Its coverage phase also sends values that break a
   parameter's own `format` (`knownAt=2000-`). Such a 400 is forgiven when
   every field it names holds a value that breaks that field's schema in
   the document, checked here: jsonschema-rs with formats for what it can
   compile, Python's `re` for the patterns it drops (Python matches code
   points, as ECMAScript's `u` mode does).

   Both forgive only a validation problem (`/problems/validation`) whose
   `errors` name at least one field, each of them covered; a 400 naming any
   other field, or any other status, still fails the run. Paths name the
   field first (`metrics.0` is the first name in `metrics`).

3. negative_data_rejection (ST201) on POST /v1/events when the answer is the
   documented partial success: 200 with every invalid event counted in
   `rejected` (and reported by index), so that one bad event never rejects
   a batch of good ones. A 200 that rejected nothing still fails the run.

Every forgiven failure is written, one JSON line each, to the file
ST_FORGIVEN_LOG names (run.sh prints a count per operation, reason and
field), so what was forgiven can always be read back.
"""

import json
import os
import re

import jsonschema_rs
import schemathesis


def _json(response):
    try:
        return response.json()
    except Exception:  # not JSON: nothing to forgive
        return None


def _field(path):
    """The request field an error path names: `metrics.0` -> `metrics`, `events[3].id` -> `events`."""
    return re.split(r"[.\[]", str(path), maxsplit=1)[0]


def _resolve(root, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        node = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


def _without_patterns(schema, dropped):
    """The schema without the patterns jsonschema-rs cannot compile, which are gathered in `dropped`."""
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                try:
                    jsonschema_rs.validator_for({"type": "string", "pattern": value})
                except (jsonschema_rs.ValidationError, ValueError):
                    dropped.append(value)
                    continue
            out[key] = _without_patterns(value, dropped)
        return out
    if isinstance(schema, list):
        return [_without_patterns(item, dropped) for item in schema]
    return schema


def _breaks_schema(value, schema):
    dropped = []
    kept = _without_patterns(schema, dropped)
    if not jsonschema_rs.validator_for(kept, validate_formats=True).is_valid(value):
        return True
    return isinstance(value, str) and any(re.search(pattern, value) is None for pattern in dropped)


_locations = {"query": "query", "path": "path_parameters", "header": "headers", "cookie": "cookies"}


def _drawn_invalid(case, field):
    """Whether the case's value for `field` (a parameter or a top-level body property) breaks the field's schema."""
    root = case.operation.schema.raw_schema
    raw = case.operation.definition.raw
    for parameter in raw.get("parameters", []):
        parameter = _resolve(root, parameter)
        if parameter.get("name") != field:
            continue
        values = getattr(case, _locations.get(parameter.get("in"), ""), None) or {}
        if field in values:
            return _breaks_schema(values[field], _resolve(root, parameter.get("schema", {})))
        return False
    if isinstance(case.body, dict) and field in case.body:
        content = _resolve(root, raw.get("requestBody", {})).get("content", {})
        schema = _resolve(root, content.get("application/json", {}).get("schema", {}))
        prop = schema.get("properties", {}).get(field) if isinstance(schema, dict) else None
        if prop is not None:
            return _breaks_schema(case.body[field], _resolve(root, prop))
    return False


def _forgive(failure, case, reason, fields):
    log = os.environ.get("ST_FORGIVEN_LOG")
    if log:
        line = {"code": failure.code, "operation": f"{case.operation.method.upper()} {case.operation.path}", "reason": reason, "fields": fields}
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")
    return False


@schemathesis.hook
def filter_failure(context, failure, case, response):
    raw = case.operation.definition.raw
    if failure.code == "ST202" and response.status_code == 400:
        ruled = {f for rule in raw.get("x-cross-field-rules", []) for f in rule["fields"]}
        body = _json(response) or {}
        fields = sorted({_field(e.get("path")) for e in body.get("errors", [])})
        if body.get("type") == "/problems/validation" and fields:
            reasons = {f: "cross-field rule" if f in ruled else "drawn against its schema" if _drawn_invalid(case, f) else None for f in fields}
            if all(reasons.values()):
                return _forgive(failure, case, " + ".join(sorted(set(reasons.values()))), fields)
    if failure.code == "ST201" and case.operation.method.upper() == "POST" and case.operation.path == "/v1/events" and response.status_code == 200:
        body = _json(response) or {}
        if isinstance(body.get("rejected"), int) and body["rejected"] > 0 and len(body.get("errors", [])) == body["rejected"]:
            return _forgive(failure, case, "partial success", ["events"])
    return True
