# account_debt_collection: the commands of the README.
PYTHON ?= python3

.PHONY: setup demo test
setup:
	$(PYTHON) tools/harness.py setup
demo: setup
	$(PYTHON) tools/harness.py demo
test: setup
	$(PYTHON) tools/harness.py test
