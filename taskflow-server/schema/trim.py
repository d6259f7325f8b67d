#!/usr/bin/env python3
"""Regenerates the recorded part of the schema from the Odoo 17 fields_get transcripts.

Run from this directory: python3 trim.py ../../tests/fixtures/odoo-17
Keeps every field with the attributes fields_get reported (in the server's field order), and trims
the 597-entry timezone selection to a few zones: the list is data, not shape.
"""
import json
import sys
import xmlrpc.client

FIXTURES = sys.argv[1] if len(sys.argv) > 1 else "../../tests/fixtures/odoo-17"
MODELS = [
    ("010-crm-lead", "crm.lead"),
    ("011-res-partner", "res.partner"),
    ("012-crm-tag", "crm.tag"),
    ("013-crm-stage", "crm.stage"),
    ("014-res-users", "res.users"),
    ("015-ir-model-data", "ir.model.data"),
    ("135-ir-model", "ir.model"),
]
KEEP_TZ = {"Africa/Johannesburg", "America/New_York", "Asia/Tokyo", "Europe/Brussels", "Europe/London", "UTC"}
ATTRS = ["string", "type", "required", "readonly", "relation", "selection"]

for prefix, model in MODELS:
    with open(f"{FIXTURES}/{prefix}-fields-get.response.xml", "rb") as f:
        (fields,), _ = xmlrpc.client.loads(f.read())
    out = []
    for name, attrs in fields.items():
        field = {"name": name}
        if not {"string", "type", "required", "readonly"} <= attrs.keys():
            # res.users' reified group fields (sel_groups_*, in_group_*): fields_get reports them
            # with their own attribute set, in their own order, whatever was asked. Keep them as is.
            field.update({"string": attrs["string"], "type": attrs["type"], "readonly": False})
            field["verbatim"] = [[k, v] for k, v in attrs.items()]
            out.append(field)
            continue
        for key in ATTRS:
            if key in attrs:
                field[key] = attrs[key]
        if name == "tz" and "selection" in field:
            field["selection"] = [s for s in field["selection"] if s[0] in KEEP_TZ]
        out.append(field)
    with open(f"{model}.json", "w") as f:
        # One field per line: diffs stay readable.
        f.write('{"model": %s, "fields": [\n' % json.dumps(model))
        f.write(",\n".join(json.dumps(field, ensure_ascii=False) for field in out))
        f.write("\n]}\n")
