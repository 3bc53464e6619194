#!/usr/bin/env python3
"""Checks that openapi.yaml is true: a valid OpenAPI 3.1 document whose examples, sample events and
real responses all match its schemas. Called by tests/SmallPay.Functions.Tests/Contract (and usable by hand).

  openapi_contract.py spec OPENAPI                 the document is valid OpenAPI 3.1; every example (request,
                                                   response, parameter, header, schema) validates; no unused components
  openapi_contract.py events OPENAPI EVENTS_DIR    every sample HTTP API event's body, query, path and header
                                                   parameters match its operation (found by routeKey); SQS
                                                   batches (Records) are skipped
  openapi_contract.py responses OPENAPI RESULTS    every recorded response (a JSON list of {name, operationId,
                                                   status, headers, body}) is documented: status, media type,
                                                   required headers, body schema

Schemas are checked strictly: an object schema with `properties` accepts no other properties here (the published
document stays open to additions), so an undocumented field in an example or a real response is a failure.
Prints one line per failure and exits 1 if there are any; prints a summary line either way.
"""
import copy
import json
import os
import sys

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:smallpay:openapi"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


class Contract:
    def __init__(self, document):
        self.raw = document
        self.strict = _absolute_refs(_strict(copy.deepcopy(document)))
        resource = Resource.from_contents(self.strict, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(BASE, resource)
        self.failures = []
        self.checked = 0

    # ---- resolution -------------------------------------------------------------------------------------------

    def resolve(self, node):
        """Follows a Reference Object ($ref to #/components/...) in the raw document."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"only local references are supported: {ref}")
            node = self.raw
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            seen += 1
        return node

    def operations(self):
        for path, item in (self.raw.get("paths") or {}).items():
            item = self.resolve(item)
            shared = item.get("parameters", [])
            for method in METHODS:
                if method in item:
                    yield path, method, item[method], shared + item[method].get("parameters", [])

    def operation_by_id(self, operation_id):
        return next(((p, m, op, params) for p, m, op, params in self.operations() if op.get("operationId") == operation_id), None)

    def operation_by_route(self, method, path):
        return next(((p, m, op, params) for p, m, op, params in self.operations() if m == method.lower() and p == path), None)

    # ---- validation -------------------------------------------------------------------------------------------

    def validate(self, where, instance, schema_pointer):
        """Validates instance against the (strict) schema at a JSON pointer of the document."""
        self.checked += 1
        schema = self.strict
        for part in schema_pointer.lstrip("/").split("/"):
            schema = schema[int(part)] if isinstance(schema, list) else schema[part.replace("~1", "/").replace("~0", "~")]
        validator = Draft202012Validator(schema, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            at = "/" + "/".join(str(p) for p in error.absolute_path)
            self.fail(f"{where}: at {at}: {error.message}")

    def fail(self, message):
        self.failures.append(message)

    def schema_pointer(self, owner_pointer, owner):
        """The pointer of a schema that sits in `owner` (a parameter, header or media type), through $refs."""
        pointer, node = owner_pointer, owner
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"][1:]
            node = self.resolve(node)
        return pointer + "/schema", node.get("schema")

    def pointer_of(self, node, fallback):
        return node["$ref"][1:] if isinstance(node, dict) and "$ref" in node else fallback


def _escape(key):
    return str(key).replace("~", "~0").replace("/", "~1")


def _strict(node):
    """additionalProperties: false on every object schema that lists properties and says nothing else."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict) and "additionalProperties" not in node and "unevaluatedProperties" not in node \
                and not any(k in node for k in ("allOf", "anyOf", "oneOf")):
            node["additionalProperties"] = False
        for value in node.values():
            _strict(value)
    elif isinstance(node, list):
        for value in node:
            _strict(value)
    return node


def _absolute_refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
            node["$ref"] = BASE + node["$ref"]
        for value in node.values():
            _absolute_refs(value)
    elif isinstance(node, list):
        for value in node:
            _absolute_refs(value)
    return node


# ---- spec ------------------------------------------------------------------------------------------------------


def check_spec(path):
    document = load(path)
    contract = Contract(document)
    try:
        from openapi_spec_validator import validate
        from openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator
        if not str(document.get("openapi", "")).startswith("3.1"):
            contract.fail(f"openapi is {document.get('openapi')!r}, expected 3.1.x")
        validate(document, cls=OpenAPIV31SpecValidator)
    except Exception as error:  # noqa: BLE001 - report whatever the validator says
        text = str(error)
        where = next((line for line in text.splitlines() if line.startswith("On instance")), "")
        contract.fail(f"not a valid OpenAPI 3.1 document: {text.split(chr(10))[0]} {where}".strip())
        contract.invalid = True
        return contract

    for api_path, method, operation, parameters in contract.operations():
        op_pointer = f"/paths/{_escape(api_path)}/{method}"
        name = operation.get("operationId", f"{method.upper()} {api_path}")
        for index, parameter in enumerate(parameters):
            check_parameter_examples(contract, name, parameter, f"{op_pointer}/parameters/{index}")
        body = operation.get("requestBody")
        if body is not None:
            pointer = contract.pointer_of(body, f"{op_pointer}/requestBody")
            check_content_examples(contract, f"{name} request", contract.resolve(body).get("content", {}), pointer + "/content")
        for status, response in (operation.get("responses") or {}).items():
            pointer = contract.pointer_of(response, f"{op_pointer}/responses/{status}")
            resolved = contract.resolve(response)
            check_content_examples(contract, f"{name} {status}", resolved.get("content", {}), pointer + "/content")
            for header_name, header in (resolved.get("headers") or {}).items():
                header_pointer = contract.pointer_of(header, f"{pointer}/headers/{_escape(header_name)}")
                check_examples(contract, f"{name} {status} header {header_name}", contract.resolve(header), header_pointer + "/schema")

    # JSON Schema `examples` arrays inside component schemas.
    for schema_name, schema in (document.get("components", {}).get("schemas") or {}).items():
        walk_schema_examples(contract, schema, f"/components/schemas/{_escape(schema_name)}", f"schema {schema_name}")

    check_unused_components(contract, document)
    return contract


def check_parameter_examples(contract, name, parameter, pointer):
    pointer = contract.pointer_of(parameter, pointer)
    resolved = contract.resolve(parameter)
    check_examples(contract, f"{name} parameter {resolved.get('name')}", resolved, pointer + "/schema")


def check_examples(contract, where, owner, schema_pointer):
    """`example` and `examples` (a map of Example Objects) of a parameter, header or media type."""
    if "example" in owner:
        contract.validate(f"{where} example", owner["example"], schema_pointer)
    for example_name, example in (owner.get("examples") or {}).items():
        resolved = contract.resolve(example)
        if "value" not in resolved:
            contract.fail(f"{where} example {example_name}: no value")
            continue
        contract.validate(f"{where} example {example_name}", resolved["value"], schema_pointer)


def check_content_examples(contract, where, content, content_pointer):
    for media_type, media in content.items():
        if "schema" not in media:
            contract.fail(f"{where} {media_type}: no schema")
            continue
        if "example" not in media and not media.get("examples"):
            contract.fail(f"{where} {media_type}: no example")
        check_examples(contract, f"{where} {media_type}", media, f"{content_pointer}/{_escape(media_type)}/schema")


def walk_schema_examples(contract, schema, pointer, where):
    if isinstance(schema, dict):
        if isinstance(schema.get("examples"), list):
            for index, value in enumerate(schema["examples"]):
                contract.validate(f"{where} examples[{index}]", value, pointer)
        for key, value in schema.items():
            if key in ("examples", "example", "enum", "const", "default"):
                continue
            walk_schema_examples(contract, value, f"{pointer}/{_escape(key)}", where)
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            walk_schema_examples(contract, value, f"{pointer}/{index}", where)


def check_unused_components(contract, document):
    text = json.dumps(document)
    for kind, entries in (document.get("components") or {}).items():
        if kind == "securitySchemes":
            continue
        for entry in entries or {}:
            if f'"#/components/{kind}/{_escape(entry)}"' not in text:
                contract.fail(f"components/{kind}/{entry} is never used")


# ---- events ----------------------------------------------------------------------------------------------------


def check_events(path, events_dir):
    contract = Contract(load(path))
    names = sorted(n for n in os.listdir(events_dir) if n.endswith(".json"))
    if not names:
        contract.fail(f"no events in {events_dir}")
    for file_name in names:
        with open(os.path.join(events_dir, file_name), encoding="utf-8") as f:
            event = json.load(f)
        if "routeKey" not in event:
            continue  # a queue consumer's batch or the scheduler's payload, not an HTTP API request
        route = event.get("routeKey", "")
        method, _, api_path = route.partition(" ")
        found = contract.operation_by_route(method, api_path)
        if found is None:
            contract.fail(f"{file_name}: routeKey {route!r} is not an operation of openapi.yaml")
            continue
        api_path, method, operation, parameters = found
        op_pointer = f"/paths/{_escape(api_path)}/{method}"
        check_event_parameters(contract, file_name, event, parameters, op_pointer)
        check_event_body(contract, file_name, event, operation, op_pointer)
    contract.events = len(names)
    return contract


def check_event_parameters(contract, file_name, event, parameters, op_pointer):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    sources = {"header": headers, "query": event.get("queryStringParameters") or {}, "path": event.get("pathParameters") or {}}
    documented = {"header": set(), "query": set(), "path": set()}
    for index, parameter in enumerate(parameters):
        pointer = contract.pointer_of(parameter, f"{op_pointer}/parameters/{index}")
        resolved = contract.resolve(parameter)
        where, name = resolved["in"], resolved["name"]
        key = name.lower() if where == "header" else name
        documented.setdefault(where, set()).add(key)
        values = sources.get(where, {})
        if key not in values:
            if resolved.get("required"):
                contract.fail(f"{file_name}: required {where} parameter {name} is missing")
            continue
        value = coerce(values[key], resolved.get("schema") or {}, contract)
        contract.validate(f"{file_name}: {where} parameter {name}", value, pointer + "/schema")
    for where in ("query", "path"):
        for name in sources[where]:
            if name not in documented[where]:
                contract.fail(f"{file_name}: {where} parameter {name} is not documented")


def coerce(text, schema, contract):
    """A parameter's text as the type its schema describes (form style, explode false for arrays)."""
    schema = contract.resolve(schema)
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
        if kind == "array":
            return [coerce(part, schema.get("items") or {}, contract) for part in text.split(",")]
    except ValueError:
        return text
    return text


def check_event_body(contract, file_name, event, operation, op_pointer):
    body = event.get("body")
    request_body = operation.get("requestBody")
    if body is None:
        if request_body is not None and contract.resolve(request_body).get("required"):
            contract.fail(f"{file_name}: the operation requires a body and the event has none")
        return
    if request_body is None:
        contract.fail(f"{file_name}: the event has a body but the operation takes none")
        return
    pointer = contract.pointer_of(request_body, f"{op_pointer}/requestBody")
    content = contract.resolve(request_body).get("content", {})
    media_type = ((event.get("headers") or {}).get("content-type") or "").split(";")[0].strip().lower()
    if media_type not in content:
        contract.fail(f"{file_name}: content-type {media_type!r} is not documented (documented: {', '.join(content)})")
        return
    if media_type == "application/x-www-form-urlencoded":
        # An HTML form's post (the customer's page): name=value pairs, base64 when API Gateway says so.
        import base64
        import urllib.parse
        text = base64.b64decode(body).decode("utf-8") if event.get("isBase64Encoded") else body
        instance = {name: value for name, value in urllib.parse.parse_qsl(text, keep_blank_values=True)}
    else:
        try:
            instance = json.loads(body)
        except json.JSONDecodeError as error:
            contract.fail(f"{file_name}: body is not JSON: {error}")
            return
    contract.validate(f"{file_name}: body", instance, f"{pointer}/content/{_escape(media_type)}/schema")


# ---- responses -------------------------------------------------------------------------------------------------


def check_responses(path, results_path):
    contract = Contract(load(path))
    with open(results_path, encoding="utf-8") as f:
        results = json.load(f)
    for result in results:
        name = result.get("name") or result.get("operationId")
        found = contract.operation_by_id(result["operationId"])
        if found is None:
            contract.fail(f"{name}: operationId {result['operationId']} is not in openapi.yaml")
            continue
        api_path, method, operation, _ = found
        status = str(result["status"])
        responses = operation.get("responses") or {}
        response = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
        if response is None:
            contract.fail(f"{name}: status {status} is not documented for {operation['operationId']} (documented: {', '.join(responses)})")
            continue
        pointer = contract.pointer_of(response, f"/paths/{_escape(api_path)}/{method}/responses/{status}")
        resolved = contract.resolve(response)
        headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
        for header_name, header in (resolved.get("headers") or {}).items():
            header_pointer = contract.pointer_of(header, f"{pointer}/headers/{_escape(header_name)}")
            header_resolved = contract.resolve(header)
            value = headers.get(header_name.lower())
            if value is None:
                if header_resolved.get("required"):
                    contract.fail(f"{name}: documented header {header_name} is missing")
                continue
            contract.validate(f"{name}: header {header_name}", value, header_pointer + "/schema")
        content = resolved.get("content") or {}
        body = result.get("body")
        if not body:
            if content:
                contract.fail(f"{name}: status {status} documents a body ({', '.join(content)}) but the response has none")
            continue
        media_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
        if media_type not in content:
            contract.fail(f"{name}: content-type {media_type!r} is not documented for status {status} (documented: {', '.join(content) or 'no body'})")
            continue
        if media_type.startswith("text/"):
            # The customer's pages answer HTML: a string, checked against its (string) schema.
            instance = body
        else:
            try:
                instance = json.loads(body)
            except json.JSONDecodeError as error:
                contract.fail(f"{name}: body is not JSON: {error}")
                continue
        contract.validate(f"{name}: body", instance, f"{pointer}/content/{_escape(media_type)}/schema")
    return contract


def main(argv):
    if len(argv) < 3 or argv[1] not in ("spec", "events", "responses") or (argv[1] != "spec" and len(argv) < 4):
        print(__doc__, file=sys.stderr)
        return 2
    mode, path = argv[1], argv[2]
    if mode == "spec":
        contract = check_spec(path)
        validity = "NOT a valid OpenAPI 3.1 document" if getattr(contract, "invalid", False) else "valid OpenAPI 3.1"
        summary = f"{path}: {validity}; {contract.checked} examples checked"
    elif mode == "events":
        contract = check_events(path, argv[3])
        summary = f"{getattr(contract, 'events', 0)} events checked ({contract.checked} values)"
    else:
        contract = check_responses(path, argv[3])
        summary = f"{contract.checked} response values checked"
    for failure in contract.failures:
        print(f"FAIL {failure}")
    print(f"{len(contract.failures)} failure(s); {summary}")
    return 1 if contract.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
