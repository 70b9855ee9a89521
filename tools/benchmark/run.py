#!/usr/bin/env python3
"""Benchmark the escalation run, the analytics and the letters on a generated ledger.

Development tool, not a test and not part of the Odoo module. Every measured run is rolled
back, so runs are comparable; nothing is committed::

    PYTHONPATH=/opt/odoo19 .build/venv/bin/python tools/benchmark/run.py --db bench_10k \
        [--oca-db bench_10k_oca] [--letters 200] [--repeat 3]

With ``--oca-db`` (a copy of the same database, ``createdb -T``, where OCA's
``account_credit_control`` is installed), OCA's line generation is measured in a child
process (its addons path differs) and compared with our decision phase. With ``--workers
1,2`` the full run is shared by 1, then 2 worker processes, each on its own copy of the
database (``workers.py``: the run commits). Every measure prints the load average around it:
a figure taken while something else used the cores says so.
"""

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import workers as shared_run
from generate import odoo_env

OCA_ADDONS = os.environ.get("BENCH_OCA_ADDONS", "/tmp/oca_addons")

#: Limits in seconds, for a ledger of 100,000 open invoices (#21 asks 60 s for the full run);
#: a ledger of a million is held to ``TARGETS_1M`` (the issue's), what it does not name to none.
TARGETS = {
    "decide": 10.0,
    "escalate": 60.0,
    "aged_today": 2.0,
    "aged_past": 2.0,
    "payer_profiles": 10.0,
    "letters": 60.0,
}
TARGETS_1M = {"decide": 60.0, "aged_today": 10.0, "aged_past": 10.0}


class _EmptyAssets(BaseHTTPRequestHandler):
    """Answers every asset request with an empty 200, so that wkhtmltopdf exits with 0.

    With ``report.url`` unreachable, wkhtmltopdf exits with 1 (network error); Odoo tolerates
    that for one document but refuses it for several with an unpatched Qt (Debian's 0.12.6),
    which is what this machine has: "Tried to convert multiple documents in wkhtmltopdf
    using unpatched QT".
    """

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def asset_stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmptyAssets)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


TRACE = True


def measure(env, fn, repeat=3, long_run=10.0, label="", trace=None):
    """Run ``fn(env)`` once under tracemalloc (peak memory, warm-up), then timed without it.

    Every run is rolled back. Returns a dict: seconds (median), queries, peak_mb, result.
    Runs longer than ``long_run`` seconds are timed once.
    """
    def one(trace):
        env.cr.rollback()
        env.invalidate_all()
        gc.collect()
        if trace:
            tracemalloc.start()
        queries = env.cr.sql_log_count
        started = time.perf_counter()
        result = fn(env)
        env.flush_all()
        elapsed = time.perf_counter() - started
        queries = env.cr.sql_log_count - queries
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
        if trace:
            tracemalloc.stop()
        env.cr.rollback()
        env.invalidate_all()
        return elapsed, queries, peak, result

    times = []
    peak = traced = None
    load_before = os.getloadavg()[0]
    if TRACE if trace is None else trace:
        traced, queries, peak, result = one(trace=True)
        print(f"  {label}: traced run {traced:.2f} s, peak {peak:.0f} MB", flush=True)
    else:
        elapsed, queries, _peak, result = one(trace=False)
        times.append(elapsed)
        print(f"  {label}: run 1: {elapsed:.2f} s, {queries} queries", flush=True)
    while len(times) < repeat:
        elapsed, queries, _peak, result = one(trace=False)
        times.append(elapsed)
        print(f"  {label}: run {len(times)}: {elapsed:.2f} s, {queries} queries", flush=True)
        if elapsed > long_run:
            break
    return {
        "seconds": statistics.median(times),
        "runs": len(times),
        "traced_seconds": traced,
        "queries": queries,
        "peak_mb": peak,
        "rss_mb": rss_mb(),
        "load": (round(load_before, 2), round(os.getloadavg()[0], 2)),
        "result": result,
    }


# ---------------------------------------------------------------------------- what is measured


def decide_all(env, company, today):
    """The decision phase of a run: every candidate batch selected, read, locked and decided."""
    run = env["debt.collection.run"].with_company(company)
    after, batches, decisions, customers = 0, 0, 0, 0
    settings = run._run_settings(company)
    while partner_ids := run._candidate_partners(company, today, after, run_batch_size()):
        reviews = run._review(company, partner_ids, today, lock=True, settings=settings)
        decisions += sum(1 for review in reviews if review.communication)
        customers += len(partner_ids)
        batches += 1
        after = partner_ids[-1]
    return {"batches": batches, "customers": customers, "communications": decisions}


def run_batch_size():
    from odoo.addons.account_debt_collection.models.debt_collection_run import BATCH_SIZE

    return BATCH_SIZE


def escalate(env, company, today):
    """The full run, then what it left: events by channel, activities, mails queued, letters."""
    counts_before = _counts(env)
    batches = []
    env["debt.collection.run"].with_company(company)._escalate(
        company, today, on_batch_done=lambda n: batches.append(n) or 1
    )
    env.flush_all()
    after = _counts(env)
    result = {key: after[key] - counts_before[key] for key in after}
    result["batches"] = len(batches)
    env.cr.execute(
        "SELECT channel, COUNT(*) FROM debt_collection_event WHERE date = %s GROUP BY channel ORDER BY 1",
        [today],
    )
    result["by_channel"] = dict(env.cr.fetchall())
    return result


def _counts(env):
    env.flush_all()
    cr = env.cr
    out = {}
    for key, query in {
        "events": "SELECT COUNT(*) FROM debt_collection_event",
        "mails_queued": "SELECT COUNT(*) FROM mail_mail WHERE state = 'outgoing'",
        "activities": "SELECT COUNT(*) FROM mail_activity",
        "letters_to_print": "SELECT COUNT(*) FROM debt_collection_event WHERE state = 'to_print'",
        "cases": "SELECT COUNT(*) FROM debt_collection_case",
    }.items():
        cr.execute(query)
        out[key] = cr.fetchone()[0]
    return out


def aged_balance(env, company, at):
    wizard = env["debt.collection.aged.balance.wizard"].create({"date": at, "company_id": company.id})
    wizard._fill_lines()
    env.cr.execute("SELECT COUNT(*) FROM debt_collection_aged_balance WHERE wizard_id = %s", [wizard.id])
    return {"rows": env.cr.fetchone()[0]}


def payer_profiles(env, today):
    """The refresh twice: the first writes every open invoice's class (the generator leaves it
    empty), the second is a day without reclassification, the daily steady state."""
    started = time.perf_counter()
    written = env["res.partner"]._debt_refresh_payer_profiles(today)
    first = time.perf_counter() - started
    env["res.partner"]._debt_refresh_payer_profiles(today)
    return {"written": written, "first_seconds": round(first, 2),
            "steady_seconds": round(time.perf_counter() - started - first, 2)}


def letters(env, company, today, count):
    """A run queues letters; then ``count`` of them are printed as one PDF (the run is not timed).

    Timed: what the Print button does, ``action_print_letters``: each letter looked at again
    (paid or superseded since it was queued?), the PDF of those still due in one report call,
    split per letter and kept on it, marked printed, the PDFs merged into the one download.
    Then, not timed, that PDF is checked with pdftotext: each letter in order, each from a new
    page, with the sender.
    """
    import tempfile

    events = env["debt.collection.event"].search(
        [("channel", "in", ("letter", "registered_letter")), ("state", "=", "to_print")],
        limit=count, order="id",
    )
    started = time.perf_counter()
    action = events.with_context(discard_logo_check=True).action_print_letters()
    download = env["ir.attachment"].browse(int(action["url"].split("/web/content/")[1].split("?")[0]))
    pdf = download.raw
    seconds = time.perf_counter() - started
    path = os.path.join(tempfile.gettempdir(), f"{env.cr.dbname}_letters.pdf")
    with open(path, "wb") as handle:
        handle.write(pdf)
    pages = subprocess.run(
        ["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")[:-1]  # pdftotext ends every page with a form feed
    # each letter: the first page after the previous letter's first page naming its customer
    starts, page = [], -1
    for event in events:
        page = next((i for i in range(page + 1, len(pages)) if event.partner_id.name in pages[i]), None)
        if page is None:
            break
        starts.append(page)
    return {
        "letters": len(events),
        "mode": "one report call, a PDF per letter, one download" if starts else "no letters in the PDF",
        "pages": len(pages),
        "pdf_bytes": len(pdf),
        "letters_found_in_order": len(starts),
        # the sender's street is in the letterhead only (the letter signs with the company's name)
        "with_sender_address": sum(company.street in pages[i] for i in starts) if company.street else None,
        "pdf": path,
        "seconds": seconds,
    }


# ---------------------------------------------------------------------------- OCA


def oca_generate(env, company, today):
    """OCA ``credit.control.run.generate_credit_lines`` on the same invoices (3-level policy)."""
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)]
    )
    policy = env.ref("account_credit_control.credit_control_3_time")
    policy.write({"account_ids": [(6, 0, receivable.ids)]})
    company.credit_policy_id = policy
    run = env["credit.control.run"].create(
        {"date": today, "policy_ids": [(6, 0, policy.ids)], "company_id": company.id}
    )
    run.generate_credit_lines()
    return {"lines": len(run.line_ids)}


def oca_child(args):
    with odoo_env(args.oca_db, extra_addons=OCA_ADDONS, tracking=True) as env:
        company = env.ref("base.main_company")
        env = env(context=dict(env.context, allowed_company_ids=[company.id]))
        out = measure(
            env, lambda e: oca_generate(e, company, args.today), repeat=args.repeat, label="oca", trace=False
        )
    print("OCA_JSON " + json.dumps(out, default=str))


# ---------------------------------------------------------------------------- report


def verdict(ok):
    return "PASS" if ok else "MISS"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--oca-db")
    parser.add_argument("--oca-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--past", type=int, default=90, help="the past date of the aged balance, days ago")
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of a short measure (median)")
    parser.add_argument("--trace-all", action="store_true",
                        help="tracemalloc also on the long runs (full run; slow: several times longer)")
    parser.add_argument("--no-trace", action="store_true", help="no tracemalloc run (peak MB not measured)")
    parser.add_argument("--skip", default="", help="comma-separated: decide,escalate,aged,profiles,letters")
    parser.add_argument("--workers", default="", help="comma-separated numbers of workers sharing the run")
    args = parser.parse_args()
    for db in filter(None, [args.db, args.oca_db]):
        if not db.startswith("bench_"):
            parser.error("only databases named bench_* are used")
    global TRACE
    TRACE = not args.no_trace
    if args.oca_child:
        oca_child(args)
        return
    skip = set(filter(None, args.skip.split(",")))
    figures = {}
    with odoo_env(args.db, tracking=True) as env:  # as the scheduled action runs
        company = env.ref("base.main_company")
        env = env(context=dict(env.context, allowed_company_ids=[company.id]))
        # no Odoo server: assets come from a local stub (see _EmptyAssets), never from the network
        env["ir.config_parameter"].set_param("report.url", asset_stub())
        env.cr.execute(
            """SELECT COUNT(*), COUNT(DISTINCT commercial_partner_id),
                      COUNT(*) FILTER (WHERE dunning.debt_next_date <= %s)
                 FROM account_move m
                 JOIN debt_collection_invoice_state dunning ON dunning.id = m.debt_state_id
                WHERE move_type = 'out_invoice' AND m.state = 'posted'
                  AND payment_state IN ('not_paid', 'partial')""",
            [args.today],
        )
        open_invoices, customers, candidates = env.cr.fetchone()
        args.targets = TARGETS_1M if open_invoices > 500_000 else TARGETS
        env.cr.execute(
            "SELECT COUNT(*) FROM account_move_line l JOIN account_account a ON a.id = l.account_id "
            "WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled AND l.parent_state = 'posted'"
        )
        open_lines = env.cr.fetchone()[0]
        env.cr.commit()  # report.url only
        print(
            f"ledger {args.db}: {open_invoices} open invoices of {customers} customers, "
            f"{candidates} due for an action on {args.today}, {open_lines} open receivable items; "
            f"{os.cpu_count()} cores"
        )
        if "decide" not in skip:
            figures["decide"] = measure(
                env, lambda e: decide_all(e, company, args.today), args.repeat, label="decide"
            )
        if "escalate" not in skip:
            figures["escalate"] = measure(
                env, lambda e: escalate(e, company, args.today), args.repeat, label="escalate",
                trace=args.trace_all
            )
        if "aged" not in skip:
            figures["aged_today"] = measure(
                env, lambda e: aged_balance(e, company, args.today), args.repeat, label="aged"
            )
            past = args.today - timedelta(days=args.past)
            figures["aged_past"] = measure(
                env, lambda e: aged_balance(e, company, past), args.repeat, label="aged past"
            )
        if "profiles" not in skip:
            figures["payer_profiles"] = measure(
                env, lambda e: payer_profiles(e, args.today), args.repeat, label="profiles"
            )
        if "letters" not in skip:
            def print_letters(e):
                e["debt.collection.run"].with_company(company)._escalate(company, args.today)
                return letters(e, company, args.today, args.letters)

            out = measure(env, print_letters, repeat=1, label="letters", trace=False)
            out["seconds"] = out["result"]["seconds"]
            figures["letters"] = out
    if args.oca_db:
        child = subprocess.run(
            [sys.executable, __file__, "--db", args.db, "--oca-db", args.oca_db, "--oca-child",
             "--today", args.today.isoformat(), "--repeat", str(args.repeat)]
            + (["--no-trace"] if args.no_trace else []),
            capture_output=True, text=True, check=False,
        )
        line = next((x for x in child.stdout.splitlines() if x.startswith("OCA_JSON ")), None)
        if line:
            figures["oca"] = json.loads(line[len("OCA_JSON "):])
        else:
            print("OCA run failed:\n" + child.stderr[-3000:])
    if args.workers:
        figures["workers"] = [shared_run.share(args.db, int(n), args.today) for n in args.workers.split(",")]
    report(figures, args)


def report(figures, args):
    print(f"\n{'measure':<34}{'seconds':>9}{'runs':>5}{'queries':>9}{'peak MB':>9}  target   result"
          "     load average before -> after")
    for key, label in [
        ("decide", "decision phase (_review, all batches)"),
        ("escalate", "full run (_escalate)"),
        ("aged_today", "aged balance at today"),
        ("aged_past", f"aged balance at today-{args.past}d"),
        ("payer_profiles", "payer-profile refresh"),
        ("letters", f"{args.letters} letters as one PDF"),
        ("oca", "OCA generate_credit_lines"),
    ]:
        fig = figures.get(key)
        if not fig:
            continue
        target = args.targets.get(key)
        mark = f"< {target:>4.0f} s  {verdict(fig['seconds'] < target)}" if target else ""
        # tracemalloc peak when traced, else the process's max RSS so far (marked "rss")
        peak = f"{fig['peak_mb']:.0f}" if fig.get("peak_mb") is not None else f"rss {fig['rss_mb']:.0f}"
        load = "{} -> {}".format(*fig["load"]) if fig.get("load") else ""
        figures_row = f"{fig['seconds']:>9.2f}{fig['runs']:>5}{fig['queries']:>9}{peak:>9}"
        print(f"{label:<34}{figures_row}  {mark:<13}  {load}")
        result = {k: v for k, v in fig["result"].items() if k != "seconds"}
        print(f"{'':<4}{result}")
    decide = figures.get("decide")
    if decide:
        batches = max(decide["result"]["batches"], 1)
        per_batch = decide["queries"] / batches
        print(f"decision phase: {per_batch:.1f} queries per batch of customers "
              f"(target: a handful, <= 10) {verdict(per_batch <= 10)}")
    if decide and figures.get("oca"):
        ratio = figures["oca"]["seconds"] / decide["seconds"]
        print(
            f"OCA line generation / our decision phase: {ratio:.1f}x (target >= 30x) "
            f"{verdict(ratio >= 30)}"
        )
    if figures.get("workers"):
        shared_run.report(figures["workers"])
    print(f"process max RSS: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
