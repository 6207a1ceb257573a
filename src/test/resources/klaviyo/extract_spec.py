#!/usr/bin/env python3
"""Extracts the Klaviyo operations the gateway uses from Klaviyo's OpenAPI spec.

Usage: extract_spec.py <path to stable.json> [operationId ...] > klaviyo-operations.json

Keeps each operation (path, method, parameters, responses, x-klaviyo-* extensions) and every
component it references, transitively, unchanged. See README.md beside this file for the source.
"""
import json
import sys

DEFAULT_OPERATIONS = [
    "get_accounts", "get_lists", "get_list", "get_profiles_for_list",
    "get_profile_ids_for_list", "get_profile", "get_profiles", "get_list_ids_for_profile",
]


def main():
    spec = json.load(open(sys.argv[1]))
    wanted = sys.argv[2:] or DEFAULT_OPERATIONS
    paths = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") in wanted:
                paths.setdefault(path, {})[method] = operation
    found = {op["operationId"] for item in paths.values() for op in item.values()}
    missing = set(wanted) - found
    if missing:
        sys.exit("operations not in the spec: " + ", ".join(sorted(missing)))

    components = {}

    def visit(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                _, _, kind, name = ref.split("/", 3)
                if name not in components.setdefault(kind, {}):
                    components[kind][name] = spec["components"][kind][name]
                    visit(components[kind][name])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(paths)
    extracted = {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "servers": spec["servers"],
        "x-extracted": {
            "from": "klaviyo/openapi openapi/stable.json at f0a30ba41254904dc410d84ca497df68f8872276 (MIT)",
            "operations": sorted(found),
        },
        "paths": paths,
        "components": {kind: dict(sorted(items.items())) for kind, items in sorted(components.items())},
    }
    json.dump(extracted, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
