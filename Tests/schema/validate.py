"""Validates YAML files against the runbook JSON Schema with the `jsonschema` package (draft 2020-12).

Usage: validate.py SCHEMA.json FILE...  Prints one JSON line per file: {"file", "valid", "error"}.
"""
import json
import sys

import jsonschema
import yaml


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sys.argv[2:]:
        try:
            with open(path, encoding="utf-8") as handle:
                document = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            print(json.dumps({"file": path, "valid": False, "error": f"unparseable: {error}"}))
            continue
        error = jsonschema.exceptions.best_match(validator.iter_errors(document))
        print(json.dumps({"file": path, "valid": error is None, "error": None if error is None else error.message}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
