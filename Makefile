# Two commands: `make run` (install, migrate, demo data, serve) and `make test` (install, whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-system install-browser run test test-fast lint format lock migrate worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Python packages from the lock file; reinstalled only when the lock changes.
$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

# System packages: a CJK font for PDFs (WenQuanYi Zen Hei renders in well under a second).
install-system:
	@dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || { \
	  echo "安装中文字体 fonts-wqy-zenhei …"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei; }

# Debian's Chromium and its driver for the browser tests (never `playwright install`).
install-browser:
	@[ -x /usr/bin/chromium ] || { \
	  echo "安装 Chromium（浏览器测试）…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

install: install-system $(VENV)/.installed

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py seed_demo
	@echo "打开 http://$(HOST):$(PORT)/ ，演示账号见 README（密码 demo-pass-2020）"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install install-browser
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-pin every dependency after editing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --extra dev -o requirements-dev.lock pyproject.toml

worker: install
	$(BIN)/celery -A campaign worker -l info

beat: install
	$(BIN)/celery -A campaign beat -l info

clean:
	rm -rf $(VENV) var .pytest_cache
