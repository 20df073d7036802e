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
	@# and the packaging checks build numpy's reference BLAS from Debian's archives where they can
	@-dpkg -s libblas64-dev liblapack64-dev >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q libblas64-dev liblapack64-dev >/dev/null; } || true
	$(PY) -m ssd_starter.i18n compile
	$(PY) -m ruff check ssd_starter tests bench
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -p no:cacheprovider --run-slow

bench: $(VENV)/.installed-dev
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run

# Re-extract messages.pot from the code and merge it into the it/de/en catalogs.
catalogs: $(VENV)/.installed-dev
	$(PY) -m ssd_starter.i18n extract
	$(PY) -m ssd_starter.i18n update
	$(PY) -m ssd_starter.i18n compile

# The desktop app as a one-folder PyInstaller bundle, dist/ssd-starter/ (packaging/ssd-starter.spec), smoke-tested
# with no Python on PATH; then the Debian package dist/ssd-starter_<version>_<arch>.deb (packaging/deb.py), which
# is installed (apt-get as root, else unpacked into a temporary folder), run (--version, the headless demo) and
# removed again. The desktop entry and AppStream metainfo are validated first where the tools exist.
BUNDLE_BUDGET_MB := 150
.PHONY: package
package: $(VENV)/.installed
	@# numpy's BLAS in the bundle is built from Debian's reference archives (packaging/reference_lapack.py)
	@-dpkg -s libblas64-dev liblapack64-dev >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q libblas64-dev liblapack64-dev >/dev/null; } || true
	@if command -v desktop-file-validate >/dev/null 2>&1; then \
		desktop-file-validate packaging/ssd-starter.desktop && echo "desktop-file-validate: packaging/ssd-starter.desktop OK"; \
	else echo "desktop-file-validate not found (apt-get install desktop-file-utils): desktop entry not validated"; fi
	@if command -v appstreamcli >/dev/null 2>&1; then \
		appstreamcli validate --no-net packaging/org.ssdstarter.SSDStarter.metainfo.xml; \
	else echo "appstreamcli not found (apt-get install appstream): metainfo not validated"; fi
	$(PIP) install 'pyinstaller>=6.0'
	$(PY) -m ssd_starter.i18n compile
	@start=$$(date +%s); \
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/ssd-starter.spec && \
	size=$$(du -sb dist/ssd-starter | cut -f1) && \
	echo "built dist/ssd-starter/ in $$(( $$(date +%s) - start )) s: $$(( size / 1000000 )) MB" \
		"(budget $(BUNDLE_BUDGET_MB) MB: $$( [ $$size -le $$(( $(BUNDLE_BUDGET_MB) * 1000000 )) ] && echo within || echo OVER))"
	sh packaging/smoke-test.sh dist/ssd-starter/ssd-starter
	@if command -v dpkg-deb >/dev/null 2>&1; then \
		$(PY) packaging/deb.py build --bundle dist/ssd-starter --out dist && $(PY) packaging/deb.py check; \
	else echo "dpkg-deb not found: no .deb (it is built on Debian and its derivatives)"; fi

# The metainfo's screenshots (packaging/screenshots/) from the latest pictures of the screenshot tests (make test)
.PHONY: metainfo-screenshots
metainfo-screenshots:
	@for name in $$(sed -n 's|.*/packaging/screenshots/\([^<]*\)</image>.*|\1|p' packaging/org.ssdstarter.SSDStarter.metainfo.xml); do \
		[ -f screenshots/$$name ] || { echo "screenshots/$$name is missing: run make test first" >&2; exit 1; }; \
		cp screenshots/$$name packaging/screenshots/$$name && echo "packaging/screenshots/$$name"; done

clean:
	rm -rf $(VENV) build *.egg-info ssd_starter/locale
