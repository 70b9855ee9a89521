#!/usr/bin/env python3
"""``odoo-bin``, without the websocket (gevent) process a prefork server spawns: for ``job_runner.py``.

The jobs need no websocket. On this machine that process dies as it starts (gevent's plugins
need ``zope.interface`` through a ``pkg_resources`` too old to find it), and the prefork server
spawns it again at once, forever: a Python process started and killed several times a second,
taking a core from the workers being measured.
"""

import odoo.cli
from odoo.service import server

server.PreforkServer.long_polling_spawn = lambda self: None

if __name__ == "__main__":
    odoo.cli.main()
