# Uppföljningsboken – one entry point per job. Everything runs in .venv, created on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installerad
YEAR ?= 2026
UPPREPA ?= 3
TVINGA ?=
ORSAK ?=
CHROMIUM ?= /usr/bin/chromium
# Values from the command line reach the shell only as quoted environment variables ("$$YEAR"),
# never pasted into a command: `make report YEAR='2026;touch x'` runs nothing but the check of
# the year, which refuses it.
export YEAR UPPREPA TVINGA ORSAK CHROMIUM PYTHON
# GNU make ends with exit code 2 whenever a command fails, whatever the command's own code was:
# make has no way to pass it on. So each command is followed by $(KOD), which on failure names
# the command's own code and what it means (2 fel i indata, 1 körningen misslyckades, 130
# avbrutet) on the line before make's own; scripts that act on the code call
# `.venv/bin/python -m helpers …` directly, which exits with it (README, "När något går fel").
HELPERS = $(BIN)/python -m helpers
KOD = || { kod=$$?; case $$kod in (1) vad="körningen misslyckades";; (2) vad="fel i indata eller i anropet";; \
  (130) vad="avbrutet";; (*) vad="se meddelandet ovan";; esac; \
  echo "Kommandots kod: $$kod ($$vad). make avslutar alltid med kod 2 när ett kommando misslyckats." >&2; exit $$kod; }

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
	$(HELPERS) rapport --ar "$$YEAR" $(KOD)

pdf: $(STAMP) browser ## Skriv YEAR:s rapport, bilagor och tjänsteskrivelse som PDF/A (A4) i utgåvan: make pdf YEAR=2026
	$(HELPERS) pdf --ar "$$YEAR" $(KOD)

validate: $(STAMP) ## Kontrollera indata för YEAR utan att bygga
	$(HELPERS) validera --ar "$$YEAR" $(KOD)

mall: $(STAMP) ## Skriv Excelmallen (standardmallen) för YEAR
	$(HELPERS) mall --ar "$$YEAR" $(KOD)

browser: ## Installera Debians chromium för webbläsartesterna (om den saknas)
	@test -x "$$CHROMIUM" || { command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; }

# PDF checks: Apache PDFBox Preflight from Debian (a Java runtime and the jars it needs) for PDF/A,
# and Ghostscript to render pages in greyscale (the print test of the signals).
PREFLIGHT := /usr/share/java/preflight.jar /usr/share/java/javax.activation.jar /usr/share/java/jaxb-api.jar
pdfa-validator: ## Installera PDF-kontrollerna (Debians libpdfbox2-java med Preflight, ghostscript) om de saknas
	@for f in $(PREFLIGHT); do test -f $$f || missing=1; done; command -v java >/dev/null || missing=1; \
	  command -v gs >/dev/null || missing=1; \
	  test -z "$$missing" || { command -v apt-get >/dev/null && (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless libpdfbox2-java \
	  libactivation-java libjaxb-api-java ghostscript >/dev/null) ; }

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
	$(BIN)/python -m bench --ar "$$YEAR" --upprepa "$$UPPREPA" $(KOD)

# Revision and archive. TVINGA=1 ORSAK="…" forces a new archive version of a fastställd year.
archive: $(STAMP) ## Arkivera (fastställ) utgåvan för YEAR: arkiv/<år>/ och arkiv/<år>.zip för diariet
	$(HELPERS) arkivera --ar "$$YEAR" $${TVINGA:+--tvinga} $${ORSAK:+--orsak "$$ORSAK"} $(KOD)

verify: $(STAMP) ## Kontrollera utgåvan för YEAR (filer, webbsidor, manifest) mot manifestet
	$(HELPERS) verifiera --ar "$$YEAR" $(KOD)

reproduce: $(STAMP) ## Kör om årets arkiverade notebooks från arkivets indata och jämför varje utdata
	$(HELPERS) reproducera --ar "$$YEAR" $(KOD)

clean: ## Ta bort byggkatalogen _build (publicerade utgåvor i book/ lämnas orörda)
	rm -rf _build
