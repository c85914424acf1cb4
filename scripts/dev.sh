#!/usr/bin/env bash
# One entry point for set-up and the two jobs of README.md:
#   bash scripts/dev.sh demo   — install, build the demo database, serve the dashboard
#   bash scripts/dev.sh test   — install (with the test tools), run the whole test suite
# Safe to re-run: each step skips what is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=.venv

need_debs() {
    # Debian packages the tests use: Russian speech synthesis for test audio,
    # sox, headless chromium for the browser test, LibreOffice + poppler to render reports.
    local missing=()
    command -v text2wave >/dev/null || missing+=(festival festvox-ru)
    command -v sox >/dev/null || missing+=(sox)
    command -v espeak-ng >/dev/null || missing+=(espeak-ng)  # second voice of the held-out bench corpus
    command -v chromium >/dev/null || missing+=(chromium)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" = 0 ]; then
            echo "installing Debian packages: ${missing[*]}" >&2
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        else
            echo "warning: missing Debian packages ${missing[*]}; run as root or install them" >&2
        fi
    fi
}

pip_install() {
    # pip with the pinned versions of constraints.txt; a failed install stops the script with pip's own words.
    # --no-compile: Python compiles a module the first time it is imported; compiling every installed file up
    # front took 29 of the 69 s of a fresh install (2 December 2026), most of it for modules nothing imports
    local out
    if ! out=$("$VENV/bin/python" -m pip install -q --no-compile -c constraints.txt "$@" 2>&1); then
        printf '%s\n' "$out" >&2
        echo "error: pip install $* failed (see above); fix it and run scripts/dev.sh again" >&2
        exit 1
    fi
    # what pip says on success, less its note about the install location
    printf '%s\n' "$out" | grep -v -e "^WARNING: Location" -e '^$' >&2 || true
}

venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PY" -m venv "$VENV"
    fi
    pip_install --upgrade pip
    pip_install -e ".$1"
}

case "${1:-}" in
    demo)
        venv ""
        shift
        exec "$VENV/bin/oka-qa" demo "$@"
        ;;
    test)
        need_debs
        venv "[test]"
        shift
        # three worker processes (pytest-xdist), a whole test file to each so that its fixtures are built once:
        # on a 2-core AVX2 machine one process took 24 minutes.  Three on two cores, not two: part of the suite
        # waits (a browser page to settle, Ray to start, a server to answer), and with two workers the cores were
        # busy 1.49 of 2 (user+sys over wall); with three, 1.53-1.59.  Pytest's time on fresh clones, 3 December
        # 2026: three workers 852, 835, 1033 s; two workers 956, 910 s — a small gain, inside this shared
        # machine's noise.  OKA_TEST_WORKERS=0 runs in this process alone.
        # Files go out in collection order, the heaviest first (tests/conftest.py), not xdist's default of the
        # most tests first: that left the browser probe of personal data (2 tests, 3 minutes) to the end
        exec "$VENV/bin/python" -m pytest -n "${OKA_TEST_WORKERS:-3}" --dist loadfile --no-loadscope-reorder "$@"
        ;;
    *)
        echo "usage: bash scripts/dev.sh demo|test [args]" >&2
        exit 2
        ;;
esac
