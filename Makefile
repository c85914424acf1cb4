# Task runner: the same two jobs as README.md, a fast test run, and lint.
.PHONY: demo test fast lint
demo:
	bash scripts/dev.sh demo
test:
	bash scripts/dev.sh test
# the suite without the slow tests (Whisper, the browser, large data sets): a few minutes, not a quarter of an hour
fast:
	bash scripts/dev.sh test -m "not slow"
lint:
	.venv/bin/ruff check core transcription rules analytics dashboards data cli tests bench
