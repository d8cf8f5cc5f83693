# Two commands: `make run` (install, migrate, demo data, serve) and `make test` (install, whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-run install-system install-browser run test test-fast bench lint format lock messages migrate worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Python packages from the lock files; reinstalled only when a lock changes. Running needs
# requirements.lock; the test and benchmark tools come with requirements-dev.lock (a superset).
$(VENV)/.installed-run: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@ $(VENV)/.installed-run

# System packages for PDFs: a CJK font (WenQuanYi Zen Hei) and HarfBuzz's subsetter, without
# which WeasyPrint subsets fonts in Python (fontTools) and a record form takes 2 s instead of 0.5 s.
SYSTEM_PACKAGES := fonts-wqy-zenhei libharfbuzz-subset0
install-system:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { \
	  echo "安装 PDF 所需的系统包：$(SYSTEM_PACKAGES) …"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); }

# Debian's Chromium and its driver for the browser tests (never `playwright install`).
install-browser:
	@[ -x /usr/bin/chromium ] || { \
	  echo "安装 Chromium（浏览器测试）…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

# what `make run` needs; `install` adds the test tooling
install-run: install-system $(VENV)/.installed-run

install: install-system $(VENV)/.installed

migrate: install-run
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py seed_demo
	@echo "打开 http://$(HOST):$(PORT)/ ，演示账号见 README（密码 demo-pass-2020）"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install install-browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not browser and not slow" $(PYTEST_ARGS)

# The scale benchmarks (not part of `make test`): PostgreSQL and Redis on 127.0.0.1, a database of
# their own per factor, figures printed and written to benchmarks/RESULTS.md. BENCH_ARGS="--only pages".
bench: install
	@pg_isready -h 127.0.0.1 -q || $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Recompile locale/ after editing a .po file (needs gettext's msgfmt; the .mo files are committed,
# so running and testing the app does not).
messages: install
	cd config && ../$(BIN)/python ../manage.py compilemessages --locale zh_Hans --ignore ".venv"

# Re-pin every dependency after editing pyproject.toml: versions with their hashes, and no index
# or wheel-folder lines of the machine that ran it.
LOCK_FLAGS := --quiet --strip-extras --allow-unsafe --generate-hashes --no-emit-index-url --no-emit-find-links
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra dev -o requirements-dev.lock pyproject.toml

worker: install-run
	$(BIN)/celery -A config worker -l info

beat: install-run
	$(BIN)/celery -A config beat -l info

clean:
	rm -rf $(VENV) var .pytest_cache
