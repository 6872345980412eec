# Sinergi — the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test bench install browser stop lint typecheck messages otp run mutation deps-lock deps-update doctor

# Installs exactly the locked versions, each checked against its hash (requirements-dev.lock holds the
# runtime lock's versions plus the test tools). A lock older than requirements*.txt stops here.
$(STAMP): requirements.lock requirements-dev.lock requirements.txt requirements-dev.txt
	$(PYTHON) scripts/check_locks.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

## make deps-lock: after editing requirements*.txt, regenerate the hash locks (other pins unchanged).
deps-lock:
	bash scripts/deps_lock.sh

## make deps-update: move every transitive dependency to its newest allowed release (weekly); then make test.
deps-update:
	bash scripts/deps_lock.sh --upgrade

## make doctor: check a running installation (settings, migrations, worker, keys, storage, time zone, Redis).
## In production run it with the installation's environment: sudo sinergi-manage doctor (the install script's wrapper).
doctor: install
	$(MANAGE) doctor

## make demo: install, migrate, load regions + fictional demo data, start web + worker, print logins.
demo: install
	$(MANAGE) demo_keys
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) compilemessages --ignore=.venv -v 0
	$(MANAGE) collectstatic --noinput -v 0
	$(MANAGE) load_regions
	$(MANAGE) demo_seed
	@bash scripts/demo_services.sh start $(HOST) $(PORT)
	@$(MANAGE) demo_logins --url http://$(HOST):$(PORT)/

## make stop: stop the demo web server and worker.
stop:
	@bash scripts/demo_services.sh stop

## make otp USER=kasus: print the current TOTP code of a demo user (demo only).
otp: install
	@$(MANAGE) demo_logins --otp $(USER)

browser:
	@bash scripts/ensure_chromium.sh

## make test: install what is needed (incl. Debian chromium when root) and run the whole suite.
test: install browser
	$(MANAGE) compilemessages --ignore=.venv -v 0
	$(VENV)/bin/pytest -q -n 2 --dist loadfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## make typecheck: mypy with django-stubs on the packages listed in pyproject.toml ([tool.mypy] files).
typecheck: install
	$(VENV)/bin/mypy

messages: install
	$(MANAGE) makemessages -l id --no-obsolete --ignore=.venv --ignore=var --ignore=benchmarks --no-location
	$(MANAGE) compilemessages --ignore=.venv

## make bench: seed a large data set and measure server time and SQL queries; writes benchmarks/results/.
bench: install
	$(MANAGE) compilemessages --ignore=.venv -v 0
	$(VENV)/bin/pytest -q -p no:xdist --ds=config.settings.bench -m benchmark benchmarks -s

## make mutation [MODULE=sinergi/cases/policy.py]: mutation-test the security-critical modules with
## mutmut (installed into the venv on demand, never part of `make test`); writes benchmarks/results/mutation.*.
## MUTATION_ARGS="--keep --incremental" re-tests only the mutants a kept run did not kill (after adding tests).
MUTMUT_VERSION := 2.5.1
# Depends on the venv only, not on `install`: it must not reinstall requirements into a shared venv.
mutation:
	@test -x $(PY) || { echo "no $(VENV): run make install first"; exit 1; }
	@$(PY) -c "import mutmut, sys; sys.exit(mutmut.__version__ != '$(MUTMUT_VERSION)')" 2>/dev/null \
		|| $(PIP) install --quiet mutmut==$(MUTMUT_VERSION)
	$(PY) scripts/mutation.py $(if $(MODULE),--module $(MODULE)) $(MUTATION_ARGS)
