# Lishui Desk — developer entry points. Works on a fresh Debian 12 / Python 3.11 machine as root.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
DEMO_PASSPHRASE ?= lishui-demo-2026

# System packages: Qt runtime libraries, CJK TrueType fonts, poppler (pdftotext/pdffonts/pdftoppm), xvfb.
APT_PACKAGES := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
	libxcb-render-util0 libxcb-image0 xvfb xauth poppler-utils sqlite3 \
	fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming fonts-lxgw-wenkai

.PHONY: all sysdeps venv run test lint typecheck bench clean demo

all: test

sysdeps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing system packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing system packages (run as root or install): $$missing"; fi; \
	fi

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: sysdeps $(STAMP)

run: venv
	LISHUI_DESK_PASSPHRASE='$(DEMO_PASSPHRASE)' $(VENV)/bin/lishui-desk demo --if-missing
	@echo "演示档案 demo 的口令：$(DEMO_PASSPHRASE)"
	$(VENV)/bin/lishui-desk gui --profile demo

test: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

typecheck: venv
	$(VENV)/bin/mypy

bench: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache artifacts
