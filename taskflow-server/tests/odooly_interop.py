"""odooly (an independent Python client) against the embedded server: create, search, read,
write, x2many commands, unlink and a refused call, as an admin and as the demo user.

Usage: python3 odooly_interop.py URL DB. URL ending in /jsonrpc makes odooly speak JSON-RPC
(`common.login`, `object.execute_kw`); a bare URL makes it use the web client's routes
(`/web/webclient/version_info`, `/web/session/authenticate`, `/web/dataset/call_kw/...`).
Prints one line per step; any failure raises, so the exit status tells.
"""

import sys

import odooly


def check(what, got, expected):
    if got != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {got!r}")
    print(f"ok {what}")


def main(url, db):
    client = odooly.Client(url, db, "admin", "admin")
    env = client.env
    check("admin uid", env.uid, 2)
    protocol = env._execute_kw._protocol_name
    check("protocol", protocol, "JSON-RPC" if url.endswith("/jsonrpc") else "Web API")

    Lead = env["crm.lead"]
    lead = Lead.create({"name": "odooly interop lead", "expected_revenue": 1234.5,
                        "tag_ids": [(6, 0, [1, 2])]})
    found = Lead.search([("name", "=", "odooly interop lead")])
    check("search finds the new lead", found.ids, [lead.id])
    row = Lead.read(lead.id, "name expected_revenue tag_ids")
    check("read", (row["name"], row["expected_revenue"], row["tag_ids"]),
          ("odooly interop lead", 1234.5, [1, 2]))

    lead.write({"name": "odooly interop lead (renamed)",
                "tag_ids": [(4, 3), (3, 1), (0, 0, {"name": "odooly interop tag"})]})
    check("write", Lead.read(lead.id, "name tag_ids")["name"], "odooly interop lead (renamed)")
    names = sorted(lead.tag_ids.name)
    check("x2many commands", names, ["Services", "Software", "odooly interop tag"])
    check("search_count", Lead.search_count([("id", "=", lead.id)]), 1)

    Partner = env["res.partner"]
    company = Partner.create({"name": "odooly interop company", "is_company": True,
                              "child_ids": [(0, 0, {"name": "odooly child A"}),
                                            (0, 0, {"name": "odooly child B"})]})
    check("one2many create", sorted(company.child_ids.name), ["odooly child A", "odooly child B"])

    lead.unlink()
    check("unlink", Lead.search([("id", "=", lead.id)]).ids, [])
    company.child_ids.unlink()
    company.unlink()

    # The demo user's rights apply, and a refusal names its exception class.
    demo = env(user="demo", password="demo")
    check("demo uid", demo.uid, 6)
    try:
        demo["crm.stage"].browse(1).write({"name": "renamed by demo"})
    except odooly.ServerError as exc:
        error = exc.args[0]
        check("demo refused", error["data"]["name"], "odoo.exceptions.AccessError")
    else:
        raise AssertionError("demo could modify a stage")
    print("odooly interop passed over", protocol)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
