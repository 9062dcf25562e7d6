# Two commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EVENT  := fixtures/school.json
OUT    := out

.PHONY: demo test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/scheduler validate $(EVENT)
	$(BIN)/scheduler solve $(EVENT) -o $(OUT)/timetable.json --time-limit 30
	$(BIN)/scheduler check $(EVENT) $(OUT)/timetable.json
	for loc in fr_CA en_CA; do \
	  lang=$${loc%%_*}; \
	  for fmt in md html ics csv frab-json; do \
	    ext=$$fmt; [ $$fmt = frab-json ] && ext=frab.json; \
	    $(BIN)/scheduler render $(EVENT) $(OUT)/timetable.json --locale $$loc --format $$fmt \
	      --also-tz Europe/Paris --also-tz Asia/Karachi -o $(OUT)/$$lang/timetable.$$ext || exit 1; \
	  done; \
	done
	$(BIN)/scheduler assignments $(EVENT) $(OUT)/timetable.json -o $(OUT)/assignments
	@echo "Timetables in $(OUT)/fr and $(OUT)/en (open timetable.html); agendas in $(OUT)/assignments."

test: $(VENV)/.installed
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
