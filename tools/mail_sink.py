"""A local SMTP server for the demo: Odoo's emails are really sent, and kept as files.

Standard library only (the harness runs before the virtual environment exists). The demo's
Odoo sends through it (``--smtp``/``--smtp-port``), so that its emails take Odoo's real path
(the mail queue, the delivery feedback of the collection events) without leaving the
machine. Each message is written to ``<folder>/<n>.eml``. Recipients at a ``refused`` address
get ``550 Mailbox unavailable``: Odoo marks the email failed, as a real server would.
"""

import contextlib
import socket
import socketserver
import threading
from pathlib import Path


class _Session(socketserver.StreamRequestHandler):
    """One SMTP conversation: HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        sink = self.server.sink
        self.reply("220 demo-mail-sink ESMTP")
        recipients, refused_any = [], False
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("HELO", "EHLO"):
                self.reply("250 demo-mail-sink")
            elif verb == "MAIL":
                recipients, refused_any = [], False
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.partition(":")[2].strip().strip("<>").lower()
                if address in sink.refused:
                    refused_any = True
                    self.reply("550 5.2.1 Mailbox unavailable")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                if not recipients:
                    self.reply("554 No valid recipients")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                body = []
                while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    body.append(data[1:] if data.startswith(b"..") else data)
                sink.keep(b"".join(body))
                self.reply("250 OK" if not refused_any else "250 OK (some recipients refused)")
            elif verb == "RSET":
                recipients, refused_any = [], False
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class MailSink:
    """``with MailSink(folder, refused) as sink:`` an SMTP server on ``127.0.0.1:sink.port``."""

    def __init__(self, folder, refused=()):
        self.folder = Path(folder)
        self.refused = {address.lower() for address in refused}
        self._lock = threading.Lock()
        self._server = None

    @property
    def port(self):
        return self._server.server_address[1]

    def keep(self, message):
        with self._lock:
            number = len(list(self.folder.glob("*.eml"))) + 1
            (self.folder / f"{number:05d}.eml").write_bytes(message)

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Session)
        self._server.daemon_threads = True
        self._server.sink = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        with contextlib.suppress(OSError, socket.error):
            self._server.shutdown()
            self._server.server_close()
