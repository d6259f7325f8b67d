#!/usr/bin/env python3
"""Python baseline for the codec bench: times xmlrpc.client.loads on the search_read payload.

    python_baseline.py PAYLOAD.xml [--verify]
                                            time loads() on a file the Rust bench wrote; with
                                            --verify, also check it is what dumps() writes
    python_baseline.py --records N [--out F]  build the payload here with xmlrpc.client.dumps
                                              (the same records as benches/common/payload.rs), time it,
                                              and optionally write it to F (to diff with the Rust one)

Prints one line the Rust bench parses (best of 3 wall-clock and CPU seconds, MB = 10^6 bytes):
    PYTHON_BASELINE bytes=<n> seconds=<wall> mbps=<MB/s> cpu_seconds=<CPU>
"""

import argparse
import gc
import sys
import time
import xmlrpc.client

NAMES = [
    "Rust SDK pilot",
    "Office desks & chairs",
    "B\u00fcro-Ausstattung f\u00fcr M\u00fcller & S\u00f6hne",
    "D\u00e9m\u00e9nagement S\u00e3o Paulo",
    "\u6771\u4eac\u30aa\u30d5\u30a3\u30b9\u79fb\u8ee2",
    "Renewal of the maintenance contract",
]
PARTNERS = ["Agrolait", "Deco Addict", "Gemini Furniture", "Lumber & Co", "Az\u00fbre Interior"]
STAGES = ["New", "Qualified", "Proposition", "Won"]
COUNTRIES = [(233, "United States"), (75, "France"), (56, "Belgium"), (113, "Japan")]
CONTACTS = ["Jean Dupont", "Zo\u00eb O'Brien", "Ana Mar\u00eda Pe\u00f1a"]


def record(i):
    """The i-th crm.lead record (0-based); keep in step with make_record in common/payload.rs."""
    rid = i + 1
    name = f"Lead {rid}: {NAMES[i % len(NAMES)]}"
    return {
        "id": rid,
        "name": name,
        "type": "lead" if i % 3 == 0 else "opportunity",
        "partner_id": False if i % 7 == 0 else [i % 500 + 1, PARTNERS[i % len(PARTNERS)]],
        "user_id": False if i % 11 == 0 else [2, "Mitchell Admin"],
        "team_id": [1, "Sales"],
        "stage_id": [i % 4 + 1, STAGES[i % 4]],
        "tag_ids": [(i + k) % 40 + 1 for k in range(i % 5)],
        "email_from": False if i % 5 == 0 else f"buyer{rid}@example.com",
        "phone": False if i % 4 == 0 else f"+32 2 555 {i % 100:02} {i % 97:02}",
        "expected_revenue": (i * 37 % 100000) + 0.5,
        "probability": (i % 10000) / 100.0,
        "priority": str(i % 4),
        "date_deadline": False if i % 3 == 0 else f"2026-12-{i % 28 + 1:02}",
        "create_date": f"2026-11-{i % 30 + 1:02} 07:{i % 60:02}:41",
        "write_date": f"2026-11-30 08:{i % 60:02}:{i % 59:02}",
        "date_closed": False if i % 4 != 3 else f"2026-11-{i % 28 + 1:02} 17:00:00",
        "active": i % 13 != 0,
        "description": False
        if i % 2 == 0
        else f"<p>Created over <b>XML-RPC</b> for lead {rid}</p>",
        "lost_reason_id": False,
        "company_id": [1, "YourCompany"],
        "contact_name": False if i % 6 == 0 else CONTACTS[i % len(CONTACTS)],
        "country_id": False if i % 9 == 0 else list(COUNTRIES[i % len(COUNTRIES)]),
        "display_name": name,
    }


def payload(n):
    records = [record(i) for i in range(n)]
    return xmlrpc.client.dumps((records,), methodresponse=True).encode("utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("path", nargs="?", help="payload written by the Rust bench")
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--out", help="write the generated payload here")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--verify",
        action="store_true",
        help="check that PATH holds exactly what dumps() makes of the same records",
    )
    args = parser.parse_args()

    if args.path:
        with open(args.path, "rb") as f:
            data = f.read()
    else:
        data = payload(args.records)
        if args.out:
            with open(args.out, "wb") as f:
                f.write(data)

    best = best_cpu = float("inf")
    count = None
    for _ in range(args.runs):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        (result,), _method = xmlrpc.client.loads(data)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
        count = len(result)
        del result
    if args.path and args.verify:
        expected = payload(count)
        if expected != data:
            at = next(
                (i for i, (a, b) in enumerate(zip(expected, data)) if a != b),
                min(len(expected), len(data)),
            )
            sys.exit(
                f"{args.path} differs from xmlrpc.client.dumps at byte {at}: "
                f"{data[at - 40:at + 40]!r} vs {expected[at - 40:at + 40]!r}"
            )
        print(f"verified: {args.path} is byte for byte what dumps() writes", file=sys.stderr)
    mbps = len(data) / best / 1e6
    print(
        f"python {sys.version.split()[0]} xmlrpc.client.loads: {count} records, {len(data)} bytes, "
        f"best of {args.runs}: {best:.3f} s wall ({mbps:.1f} MB/s), {best_cpu:.3f} s CPU",
        file=sys.stderr,
    )
    print(
        f"PYTHON_BASELINE bytes={len(data)} seconds={best:.6f} mbps={mbps:.3f} "
        f"cpu_seconds={best_cpu:.6f}"
    )


if __name__ == "__main__":
    main()
