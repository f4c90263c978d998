# wayhome — two set-up commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: lock run test bot index bench eval lint typecheck unit install clean messages

# Installs exactly requirements.lock (every distribution, exact versions, torch's CPU build) and nothing else:
# nothing is resolved. uv (pinned by the lock) syncs it, removing what an older lock installed.
WHEELS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels)
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --no-deps "$$(grep '^uv==' requirements.lock)"
	$(BIN)/uv pip sync -q --python $(BIN)/python $(WHEELS) requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $(STAMP)

# After a change to pyproject.toml's dependencies: resolve the whole tree again (uv, ~2 s) and stamp the lock.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra test -c constraints.txt --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu $(WHEELS) --no-emit-find-links --quiet \
		-o requirements.lock
	$(BIN)/python tests/lockfile.py stamp requirements.lock

install: $(STAMP)

run: $(STAMP)
	$(BIN)/wayhome repl

bot: $(STAMP)
	$(BIN)/wayhome bot

index: $(STAMP)
	$(BIN)/wayhome index build

bench: $(STAMP)
	$(BIN)/wayhome bench

eval: $(STAMP)
	$(BIN)/wayhome eval

lint: $(STAMP)
	$(BIN)/ruff check bot tests
	$(BIN)/mypy

# The Telegram tests' Bot API emulator (npm, pinned by tests/telegram/package-lock.json).
NODE_STAMP := tests/telegram/node_modules/.installed
$(NODE_STAMP): tests/telegram/package.json tests/telegram/package-lock.json
	cd tests/telegram && npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check bot tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The interface's message catalogues (bot/locale): extract the marked strings of bot/ into wayhome.pot, merge them
# into each language's .po (translate what is new or fuzzy there, then run this again), and compile the .mo files
# that are committed beside them.
LOCALES := bot/locale
messages: $(STAMP)
	$(BIN)/pybabel extract --project=wayhome --version=0.1.0 --copyright-holder="wayhome contributors" \
		--add-location=file --no-wrap -o $(LOCALES)/wayhome.pot bot
	$(BIN)/pybabel update -i $(LOCALES)/wayhome.pot -d $(LOCALES) -D wayhome --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALES) -D wayhome --statistics

clean:
	rm -rf $(VENV) index/current index/build-*
