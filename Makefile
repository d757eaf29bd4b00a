# Two commands set everything up on a fresh machine with only Python 3.11+:
#   make run    — virtualenv, install, start the bot (SQLite + web chat on 127.0.0.1:8080)
#   make test   — virtualenv, install, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CONFIG ?= config.yaml
DATA   ?= ../shared/data

.PHONY: run test eval bench train lint format clean migration lock

# Installs the versions the suite last passed with (constraints.txt), so a fresh machine and CI
# measure the same code as the notes and benchmarks did.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sotong run --config $(CONFIG)

test: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/python scripts/eval.py --data $(DATA)

bench: $(STAMP)
	$(BIN)/python scripts/bench.py --data $(DATA)
	$(BIN)/python scripts/bench_broadcast.py

# The intent model's weights, learned from the labelled sets of tests/faq/data
train: $(STAMP)
	$(BIN)/python scripts/train_intents.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The newest releases pyproject.toml allows, written to constraints.txt (then run make test)
lock:
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install -q -e '.[dev]'
	echo "# pip constraints: the versions make test last passed with (make lock renews them)" \
		> constraints.txt
	$(VENV)-lock/bin/python -m pip freeze --exclude-editable >> constraints.txt
	rm -rf $(VENV)-lock

clean:
	rm -rf $(VENV) var/*.db var/*.db-*

# The next numbered migration, from what storage/models.py adds to the schema the migrations
# build (tests/test_storage.py fails until it exists): make migration MESSAGE="why it changed"
migration: $(STAMP)
	rm -f var/migration-scratch.db
	$(BIN)/python -c "import sys; from storage.db import make_engine; \
	from storage.migrate import MIGRATIONS, revision, upgrade; \
	engine = make_engine('sqlite:///var/migration-scratch.db'); upgrade(engine); \
	number = len(list((MIGRATIONS / 'versions').glob('0*.py'))) + 1; \
	revision(engine, sys.argv[1], rev_id=f'{number:04d}')" "$(MESSAGE)"
	rm -f var/migration-scratch.db
	$(BIN)/ruff format -q storage/migrations/versions
	$(BIN)/ruff check -q --fix storage/migrations/versions
