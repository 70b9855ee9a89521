"""Screenshots of the running demo for the README, taken by headless Chromium.

Development tool (not part of the module): with ``make demo`` serving, run it from the
repository root with the virtual environment's Python (it needs ``websocket-client``)::

    .build/venv/bin/python tools/screenshots.py --port 8069

It signs in as the credit controller, opens each page of ``PAGES`` and saves it as a PNG under
``static/description/``. Chromium is driven over its DevTools protocol; it runs headless,
without sandbox nor background networking, in a throwaway profile.
"""

import argparse
import base64
import contextlib
import json
import re
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "description"
DB = "debt_collection_demo"
#: (file, what to open: a path, or a customer whose follow-up to open, the page's width), in
#: the demo's data.
PAGES = [
    ("screenshot_followup.png", {"followup": "Imprimerie Girard SA", "width": 1440, "height": 1100}),
    ("screenshot_cases_kanban.png", {"path": "/odoo/collection-cases", "width": 2300, "height": 620}),
    # last: the customer's page as the customer sees it, through the link of its last reminder
    ("screenshot_customer_page.png", {"portal": "Imprimerie Girard SA", "width": 1280, "height": 1500}),
]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Odoo:
    """JSON-RPC to the demo, with its session cookie."""

    def __init__(self, base):
        self.base = base
        self.session = None

    def rpc(self, path, params):
        request = urllib.request.Request(
            self.base + path,
            json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode(),
            {
                "Content-Type": "application/json",
                **({"Cookie": f"session_id={self.session}"} if self.session else {}),
            },
        )
        with urllib.request.urlopen(request) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                if header.startswith("session_id="):
                    self.session = header.split(";")[0].split("=", 1)[1]
            answer = json.loads(response.read())
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def login(self, login):
        self.rpc("/web/session/authenticate", {"db": DB, "login": login, "password": login})

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            "/web/dataset/call_kw", {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        )


class Chromium:
    """A headless Chromium page, driven over the DevTools protocol."""

    def __init__(self):
        self.port = free_port()
        self.profile = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        self.process = subprocess.Popen(
            [
                "chromium",
                *CHROMIUM_FLAGS,
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile.name}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(100):
            with contextlib.suppress(OSError):
                pages = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json").read())
                page = next(p for p in pages if p["type"] == "page")
                break
            time.sleep(0.2)
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True)
        self.sequence = 0

    def send(self, method, **params):
        self.sequence += 1
        self.socket.send(json.dumps({"id": self.sequence, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.sequence:
                return message.get("result", {})

    def evaluate(self, expression):
        return self.send("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def open(self, url, ready_selector, width, height, settle=2.0):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.send("Page.navigate", url=url)
        for _attempt in range(150):
            if self.evaluate(f"!!document.querySelector({json.dumps(ready_selector)})"):
                break
            time.sleep(0.2)
        time.sleep(settle)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait()
        self.profile.cleanup()


def portal_link(odoo, customer):
    """The signed link to ``customer``'s page that its last reminder carried, on this server."""
    partner_ids = odoo.call("res.partner", "search", [["name", "=", customer]], limit=1)
    messages = odoo.call(
        "mail.message",
        "search_read",
        [["model", "=", "res.partner"], ["res_id", "in", partner_ids], ["body", "ilike", "/my/collection/"]],
        ["body"],
        order="id desc",
        limit=1,
    )
    if not messages:
        raise SystemExit(f"{customer} received no reminder with the link to its page")
    link = re.search(r'href="[^"]*(/my/collection/[^"]*)"', messages[0]["body"]).group(1)
    return odoo.base + link.replace("&amp;", "&")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8069, help="the demo's HTTP port")
    parser.add_argument("--login", default="camille")
    parser.add_argument("--lang", default="en_US", help="the language of the pages (the README's: English)")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    odoo = Odoo(base)
    odoo.login(args.login)
    uid = odoo.rpc("/web/session/get_session_info", {})["uid"]
    user_lang = odoo.call("res.users", "read", [uid], ["lang"])[0]["lang"]
    odoo.call("res.users", "write", [uid], {"lang": args.lang})
    browser = Chromium()
    try:
        host = base.split("//")[1].split(":")[0]
        browser.send("Network.setCookie", name="session_id", value=odoo.session, domain=host, path="/")
        for name, page in PAGES:
            if "portal" in page:
                url, ready = portal_link(odoo, page["portal"]), ".o_debt_portal_buckets"
                browser.send("Network.deleteCookies", name="session_id", domain=host, path="/")
            elif "followup" in page:
                ids = odoo.call(
                    "debt.collection.followup",
                    "search",
                    [["partner_id.name", "=", page["followup"]]],
                    limit=1,
                )
                url, ready = f"{base}/odoo/my-follow-ups/{ids[0]}", ".o_form_view .o_notebook"
            else:
                url, ready = base + page["path"], ".o_kanban_renderer .o_kanban_record"
            browser.open(url, ready, page["width"], page["height"])
            browser.screenshot(OUT / name)
            print(f"{OUT / name}")
    finally:
        browser.close()
        odoo.call("res.users", "write", [uid], {"lang": user_lang})


if __name__ == "__main__":
    main()
