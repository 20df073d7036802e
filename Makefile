# SSD Starter — the two commands a user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test bench catalogs demo clean

$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	$(PY) -m ssd_starter.i18n compile
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/ssd-starter

demo: $(VENV)/.installed
	$(VENV)/bin/ssd-starter demo

test: $(VENV)/.installed-dev
	@# the Centre's tests run against a real PostgreSQL: install Debian's where it is missing and we may
	@-command -v pg_ctlcluster >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } || true
	$(PY) -m ssd_starter.i18n compile
	$(PY) -m ruff check ssd_starter tests bench
	$(PY) -m mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -p no:cacheprovider --run-slow

bench: $(VENV)/.installed-dev
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run

# Re-extract messages.pot from the code and merge it into the it/de/en catalogs.
catalogs: $(VENV)/.installed-dev
	$(PY) -m ssd_starter.i18n extract
	$(PY) -m ssd_starter.i18n update
	$(PY) -m ssd_starter.i18n compile

clean:
	rm -rf $(VENV) build *.egg-info ssd_starter/locale
