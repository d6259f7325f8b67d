"""Python baseline for the bulk benchmark: the same chunked `load` calls and keyset-paged
`search_read` pages, made with the standard library's xmlrpc.client (the client the TaskFlow
document uses). Prints one JSON object with wall and CPU times."""

import json
import sys
import time
import xmlrpc.client

HEADER = ["id", "name", "contact_name", "contact_surname", "phone", "mobile", "fax"]


def rows(prefix, n):
    for i in range(n):
        yield [
            f"{prefix}.lead_{i:06}",
            f"Bulk lead {i:06}",
            f"Contact {i}",
            f"Surname {i}",
            f"+27 83 {i:07}",
            f"+27 82 {i:07}",
            "" if i % 3 else f"+27 12 {i:07}",
        ]


def main():
    url, db, login, password, mode, count, chunk = sys.argv[1:8]
    count, chunk = int(count), int(chunk)
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    uid = common.authenticate(db, login, password, {})
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
    # Generated before the clocks start, as on the Rust side: the figures are the clients'.
    data = list(rows("py_bench", count)) if mode == "load" else []
    wall, cpu = time.perf_counter(), time.process_time()
    done = 0
    if mode == "load":
        batch = []
        for row in data:
            batch.append(row)
            if len(batch) == chunk:
                result = models.execute_kw(db, uid, password, "crm.lead", "load", [HEADER, batch])
                assert result["ids"], result["messages"][:3]
                done += len(result["ids"])
                batch = []
        if batch:
            result = models.execute_kw(db, uid, password, "crm.lead", "load", [HEADER, batch])
            done += len(result["ids"])
    else:
        last = 0
        fields = HEADER[1:]
        while True:
            page = models.execute_kw(
                db, uid, password, "crm.lead", "search_read",
                [[["id", ">", last], ["name", "=like", "Bulk lead %"]]],
                {"fields": fields, "order": "id", "limit": chunk},
            )
            done += len(page)
            if len(page) < chunk:
                break
            last = page[-1]["id"]
    print(json.dumps({
        "rows": done,
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
    }))


if __name__ == "__main__":
    main()
