"""Python baseline for the bulk benchmark: the same chunked `load` calls and keyset-paged
`search_read` pages, made with the standard library's xmlrpc.client (the client the TaskFlow
document uses), or with the standard library's JSON-RPC or JSON-2 equivalents (urllib.request and
json, as third-party JSON clients do). Prints one JSON object with wall and CPU times."""

import json
import os
import sys
import time
import urllib.request
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


class JsonRpc:
    """`service.method(*args)` over POST /jsonrpc, as ServerProxy does over XML-RPC."""

    def __init__(self, url, service):
        self.url, self.service, self.id = f"{url}/jsonrpc", service, 0

    def __getattr__(self, method):
        def call(*args):
            self.id += 1
            body = json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": self.id,
                "params": {"service": self.service, "method": method, "args": list(args)},
            }).encode()
            request = urllib.request.Request(
                self.url, body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(request) as response:
                self.last_body = response.read()
                answer = json.loads(self.last_body)
            if "error" in answer:
                raise RuntimeError(answer["error"]["data"]["message"])
            return answer.get("result")
        return call


class Json2:
    """JSON-2 (POST /json/2/<model>/<method>, named arguments, a bearer API key) behind the same
    `execute_kw(db, uid, password, model, method, args, kwargs)` as the other two clients, naming
    the positional arguments of the two methods the benchmark calls."""

    NAMES = {"load": ["fields", "data"], "search_read": ["domain"]}

    def __init__(self, url, key):
        self.url, self.key = url, key

    def execute_kw(self, db, uid, password, model, method, args, kwargs=None):
        params = dict(zip(self.NAMES[method], args), **(kwargs or {}))
        request = urllib.request.Request(
            f"{self.url}/json/2/{model}/{method}", json.dumps(params).encode(),
            {"Content-Type": "application/json", "Authorization": f"bearer {self.key}",
             "X-Odoo-Database": db})
        with urllib.request.urlopen(request) as response:
            self.last_body = response.read()
            return json.loads(self.last_body)


def main():
    url, db, login, password, mode, count, chunk, protocol = sys.argv[1:9]
    count, chunk = int(count), int(chunk)
    if protocol == "json2":
        # The key from the environment (never the command line); no login call.
        password = os.environ["TASKFLOW_API_KEY"]
        models, uid = Json2(url, password), None
    else:
        if protocol == "jsonrpc":
            common, models = JsonRpc(url, "common"), JsonRpc(url, "object")
        else:
            common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
            models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
        uid = common.authenticate(db, login, password, {})
    # Generated before the clocks start, as on the Rust side: the figures are the clients'.
    if mode == "page":
        page = models.execute_kw(
            db, uid, password, "crm.lead", "search_read",
            [[["id", ">", 0], ["name", "=like", "Bulk lead %"]]],
            {"fields": HEADER[1:], "order": "id", "limit": chunk},
        )
        body = models.last_body
        with open(os.environ["BULK_PAGE_OUT"], "wb") as out:
            out.write(body)
        best = None
        for _ in range(10):
            cpu = time.process_time()
            json.loads(body)
            spent = time.process_time() - cpu
            best = spent if best is None else min(best, spent)
        print(json.dumps({"rows": len(page), "loads_cpu_s": best}))
        return
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
