# account_debt_collection: the commands of the README.
PYTHON ?= python3
# Odoo's HTTP port for the demo: make demo PORT=8070
PORT ?= 8069

.PHONY: setup demo stop test
setup:
	$(PYTHON) tools/harness.py setup
demo: setup
	$(PYTHON) tools/harness.py demo --port $(PORT)
stop:
	$(PYTHON) tools/harness.py stop
test: setup
	$(PYTHON) tools/harness.py test
