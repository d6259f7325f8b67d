"""A JSON-2 client written with Python's standard library only (urllib, json), as the
odoo-19-json2 recordings show the protocol, run against the embedded server in its 19 mode.

Usage: python3 json2_interop.py URL DB; the keys come from the environment
(TASKFLOW_ADMIN_API_KEY, TASKFLOW_DEMO_API_KEY), never from the command line.
Prints "json2 interop passed" when every check held.
"""

import json
import os
import sys
import urllib.error
import urllib.request

URL, DB = sys.argv[1], sys.argv[2]
ADMIN = os.environ["TASKFLOW_ADMIN_API_KEY"]
DEMO = os.environ["TASKFLOW_DEMO_API_KEY"]


def call(model, method, key=ADMIN, http_method="POST", **params):
    """(status, headers, parsed body) of one JSON-2 call."""
    body = None if http_method == "GET" else json.dumps(params).encode()
    request = urllib.request.Request(
        f"{URL}/json/2/{model}/{method}", data=body, method=http_method
    )
    request.add_header("Authorization", f"bearer {key}")
    request.add_header("X-Odoo-Database", DB)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text.decode("utf-8", "replace")
        return error.code, error.headers, parsed


def ok(model, method, key=ADMIN, **params):
    status, _, body = call(model, method, key, **params)
    assert status == 200, (model, method, status, body)
    return body


with urllib.request.urlopen(f"{URL}/json/version") as response:
    version = json.loads(response.read())
assert version["version_info"][:2] == [19, 0], version

assert ok("res.users", "context_get")["uid"] == 2
assert ok("res.users", "context_get", key=DEMO)["uid"] == 5

# create answers a list of ids, from a list of values or from one dict.
[tag] = ok("crm.tag", "create", vals_list=[{"name": "json2-py tag"}])
[tag2] = ok("crm.tag", "create", vals_list={"name": "json2-py tag 2"})
ids = ok("crm.lead", "create", vals_list=[{"name": "json2-py A"}, {"name": "json2-py B"}])
assert len(ids) == 2 and ids[0] < ids[1], ids

rows = ok(
    "crm.lead",
    "search_read",
    domain=[["name", "=like", "json2-py %"]],
    fields=["name", "tag_ids", "partner_id"],
    order="id",
    limit=10,
)
assert [r["name"] for r in rows] == ["json2-py A", "json2-py B"], rows
assert rows[0]["partner_id"] is False and rows[0]["tag_ids"] == [], rows

# x2many commands: link, unlink, set.
assert ok("crm.lead", "write", ids=ids[:1], vals={"tag_ids": [[4, tag], [4, tag2]]}) is True
assert ok("crm.lead", "read", ids=ids[:1], fields=["tag_ids"])[0]["tag_ids"] == [tag, tag2]
assert ok("crm.lead", "write", ids=ids[:1], vals={"tag_ids": [[3, tag]]}) is True
assert ok("crm.lead", "write", ids=ids[:1], vals={"tag_ids": [[6, 0, [tag]]]}) is True
[read] = ok("crm.lead", "read", ids=ids[:1], fields=["tag_ids", "display_name"])
assert read["tag_ids"] == [tag] and read["display_name"] == "json2-py A", read

# load by external id, twice: the same record, updated.
first = ok("crm.lead", "load", fields=["id", "name"], data=[["json2_py_lead", "json2-py L"]])
again = ok("crm.lead", "load", fields=["id", "name"], data=[["json2_py_lead", "json2-py L2"]])
assert first["messages"] == [] and first["ids"] == again["ids"], (first, again)

fields = ok("crm.lead", "fields_get", allfields=["name", "tag_ids"], attributes=["type", "relation"])
assert fields["tag_ids"] == {"type": "many2many", "relation": "crm.tag"}, fields

# Errors, with their statuses and exception classes.
status, headers, body = call("crm.lead", "search", key="not-a-key", domain=[])
assert status == 401 and headers["WWW-Authenticate"].lower().startswith("bearer"), (status, body)
assert body["name"] == "werkzeug.exceptions.Unauthorized", body
status, _, body = call("crm.stage", "unlink", key=DEMO, ids=[1])
assert status == 403 and body["name"] == "odoo.exceptions.AccessError", (status, body)
status, _, body = call("crm.lead", "create", vals={"name": "x"})
assert status == 422 and body["name"] == "werkzeug.exceptions.UnprocessableEntity", body
status, _, body = call("crm.lead", "_read", ids=ids, field_names=["name"])
assert status == 403, (status, body)
status, _, body = call("no.such.model", "search", domain=[])
assert status == 404 and "does not exist" in body["message"], body
status, _, body = call("crm.lead", "search", http_method="GET")
assert status == 404 and "Did you mean POST" in body["message"], body

assert ok("crm.lead", "unlink", ids=ids + again["ids"]) is True
assert ok("crm.lead", "read", ids=ids, fields=["name"]) == []
assert ok("crm.tag", "unlink", ids=[tag, tag2]) is True
print("json2 interop passed")
