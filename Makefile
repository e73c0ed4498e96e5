# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out

.PHONY: demo test lint bench models clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENV)/.installed-bench: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

demo: $(VENV)/.installed
	@mkdir -p $(OUT)
	$(BIN)/collate detect samples/memo/*.txt
	@for doc in memo poem; do \
	  $(BIN)/collate edition samples/$$doc/*.txt --format html -o $(OUT)/$$doc.html && \
	  $(BIN)/collate edition samples/$$doc/*.txt --format tei -o $(OUT)/$$doc.tei.xml && \
	  $(BIN)/collate edition samples/$$doc/*.txt --format text -o $(OUT)/$$doc.txt || exit 1; \
	done
	$(BIN)/collate restore samples/memo/A.txt --witness samples/memo/B.txt --format text -o $(OUT)/memo-A-restored.txt
	@echo "Collated editions written to $(OUT)/: memo.html memo.tei.xml memo.txt poem.html poem.tei.xml poem.txt memo-A-restored.txt"

test: $(VENV)/.installed-test
	$(BIN)/ruff check collate tests benchmarks scripts
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_align.py
	$(BIN)/python benchmarks/bench_conventions.py
	$(BIN)/python benchmarks/bench_restore.py
	$(BIN)/python benchmarks/bench_edition.py
	$(BIN)/python benchmarks/bench_ocr.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_ocrread.py
	$(BIN)/python benchmarks/bench_speed.py

# The built-in corpus models (collate/models/{en,de}.model) from ../shared/corpora (ELTeC).
models: $(VENV)/.installed
	$(BIN)/python scripts/build_models.py

clean:
	rm -rf $(VENV) $(OUT)
