# Uppföljningsboken – one entry point per job. Everything runs in .venv, created on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installerad
YEAR ?= 2026
UPPREPA ?= 3
TVINGA ?=
CHROMIUM ?= /usr/bin/chromium
# Values from the command line reach the shell only as quoted environment variables ("$$YEAR"),
# never pasted into a command: `make report YEAR='2026;touch x'` runs nothing but the check of
# the year, which refuses it. make itself reports any failed command with exit code 2.
export YEAR UPPREPA TVINGA CHROMIUM PYTHON

.DEFAULT_GOAL := help
.PHONY: help report pdf test test-fast lint bench validate mall clean install browser axe pdfa-validator
.PHONY: archive verify reproduce

help: ## Visa målen
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || "$$PYTHON" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

install: $(STAMP) ## Skapa .venv och installera låsta beroenden

report: $(STAMP) ## Bygg rapporten för YEAR (standard 2026): make report YEAR=2025
	$(BIN)/python -m helpers rapport --ar "$$YEAR"

pdf: $(STAMP) browser ## Skriv YEAR:s byggda rapport som en PDF (A4) i utgåvan: make pdf YEAR=2026
	$(BIN)/python -m helpers pdf --ar "$$YEAR"

validate: $(STAMP) ## Kontrollera indata för YEAR utan att bygga
	$(BIN)/python -m helpers validera --ar "$$YEAR"

mall: $(STAMP) ## Skriv Excelmallen (standardmallen) för YEAR
	$(BIN)/python -m helpers mall --ar "$$YEAR"

browser: ## Installera Debians chromium för webbläsartesterna (om den saknas)
	@test -x "$$CHROMIUM" || { command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; }

# PDF/A check: Apache PDFBox Preflight from Debian (a Java runtime and the jars it needs).
PREFLIGHT := /usr/share/java/preflight.jar /usr/share/java/javax.activation.jar /usr/share/java/jaxb-api.jar
pdfa-validator: ## Installera PDF/A-kontrollen (Debians libpdfbox2-java, Preflight) om den saknas
	@for f in $(PREFLIGHT); do test -f $$f || missing=1; done; command -v java >/dev/null || missing=1; \
	  test -z "$$missing" || { command -v apt-get >/dev/null && (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless libpdfbox2-java \
	  libactivation-java libjaxb-api-java >/dev/null) ; }

AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) ; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

axe: $(AXE) ## Installera axe-core (npm, låst i package-lock.json) för tillgänglighetstesterna

lint: $(STAMP) ## Kodgranskning: ruff och importkontraktet (lagren core ← data ← compute ← present ← run ← evidence ← publish ← cli)
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports

test: $(STAMP) browser axe pdfa-validator lint ## Kör alla tester (kodgranskning, enhet, notebooks, bok, webbläsare, axe, PDF)
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## Bara de snabba enhetstesterna
	$(BIN)/python -m pytest -m "not slow and not browser"

bench: $(STAMP) ## Mät körtider (vanligt sätt, kall, oförändrad, ett ändrat värde, sex utgåvor): docs/prestanda.md
	$(BIN)/python -m bench --ar "$$YEAR" --upprepa "$$UPPREPA"

# Revision and archive. TVINGA=1 forces a new archive version of a fastställd year.
archive: $(STAMP) ## Arkivera (fastställ) utgåvan för YEAR: arkiv/<år>/ och arkiv/<år>.zip för diariet
	$(BIN)/python -m helpers arkivera --ar "$$YEAR" $${TVINGA:+--tvinga}

verify: $(STAMP) ## Kontrollera utgåvan för YEAR (filer, webbsidor, manifest) mot manifestet
	$(BIN)/python -m helpers verifiera --ar "$$YEAR"

reproduce: $(STAMP) ## Kör om årets arkiverade notebooks från arkivets indata och jämför varje utdata
	$(BIN)/python -m helpers reproducera --ar "$$YEAR"

clean: ## Ta bort byggkatalogen _build (publicerade utgåvor i book/ lämnas orörda)
	rm -rf _build
