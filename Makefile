# Task runner: the same two jobs as README.md, plus lint.
.PHONY: demo test lint
demo:
	bash scripts/dev.sh demo
test:
	bash scripts/dev.sh test
lint:
	.venv/bin/ruff check core transcription rules analytics dashboards data cli tests bench
