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
	$(BIN)/scheduler solve $(EVENT) -o $(OUT)/timetable.json --time-limit 20
	$(BIN)/scheduler check $(EVENT) $(OUT)/timetable.json
	@echo "Renderings (French and English) and interpreters' assignments are not built yet; the timetable is in $(OUT)/timetable.json."

test: $(VENV)/.installed
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
