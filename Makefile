# Sightline: `make demo` to explore, `make test` to run the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_CHILDREN ?= 3000
DEMO_SEED ?= 2026

.PHONY: demo test test-dates setup assets browser lint serve clean

setup: $(VENV)/.installed assets

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/css/sightline.css: frontend/node_modules/.installed frontend/build.mjs $(wildcard frontend/src/*)
	cd frontend && node build.mjs

assets: build/static/css/sightline.css

# Debian's Chromium for the browser tests (no browser downloads work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

demo: setup
	mkdir -p var
	SIGHTLINE_DEMO=1 $(PY) manage.py migrate --noinput -v0
	SIGHTLINE_DEMO=1 $(PY) manage.py seed_demo --if-empty --children $(DEMO_CHILDREN) --seed $(DEMO_SEED)
	@echo "Sightline demo: http://127.0.0.1:$(PORT)/demo/"
	SIGHTLINE_DEMO=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup browser
	bash scripts/test.sh

# The suite (SQLite, no browser) on days that catch date-dependent tests: a leap day, a late evening,
# and half past midnight in summer time (when the local date is a day ahead of UTC's).
TEST_DATES ?= 2028-02-29 2026-12-31T23:30 2027-06-15T00:30
test-dates: setup
	@for day in $(TEST_DATES); do \
		echo "== pytest with the clock at $$day"; \
		env -u DATABASE_URL $(PY) -m pytest -m "not browser" --today=$$day || exit 1; \
	done

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) build frontend/node_modules var
