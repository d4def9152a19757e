# Two entry points: `make site` builds the documentation site from architectures/,
# `make test` runs the whole test suite. Each installs what it is missing first.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.plinkdocs-installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT    := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

.PHONY: site test check serve system-graphviz system-chromium clean

# The check is informational here: a design with errors still gets its page, with its
# findings; only a usage or configuration error (status 1) stops the build.
site: system-graphviz $(STAMP)
	@status=0; $(BIN)/plinkdocs check architectures || status=$$?; [ $$status -ne 1 ] || exit 1
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
	@echo "The site is in site/. Preview it with: make serve  (then open http://127.0.0.1:8000/)"

serve: system-graphviz $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dirty

test: system-graphviz system-chromium $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/plinkdocs check architectures

system-graphviz:
	@command -v dot >/dev/null 2>&1 || { $(APT) update -q && $(APT) install -y -q graphviz; }

system-chromium:
	@command -v chromium >/dev/null 2>&1 || { $(APT) update -q && $(APT) install -y -q chromium; }

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  $(APT) update -q && $(APT) install -y -q python3-venv && $(PYTHON) -m venv $(VENV); }

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

clean:
	rm -rf site build dist .plinkdocs-cache
