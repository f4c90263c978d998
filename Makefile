# wayhome — two set-up commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test bot index bench eval lint typecheck unit install clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

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

clean:
	rm -rf $(VENV) index/current index/build-*
