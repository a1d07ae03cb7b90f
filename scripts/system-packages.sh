#!/usr/bin/env bash
# The Debian packages coverwatch needs beyond Python, in one place (make demo, make test, .ci/run).
#   scripts/system-packages.sh          what the product needs (make demo)
#   scripts/system-packages.sh --test   that, and what the tests need too (make test, CI)
# Missing ones are installed when run as root; otherwise it stops at once, printing the command.
set -euo pipefail

# Scans and phone photos are read by Tesseract (pytesseract runs the `tesseract` program).
product=(tesseract-ocr)
# Playwright drives Debian's Chromium at /usr/bin/chromium for the page tests (it cannot fetch one).
tests=(chromium)

# By what the code runs, not by dpkg, so a machine that has the program otherwise is not asked.
present() {
  case "$1" in
    tesseract-ocr) command -v tesseract ;;
    chromium) test -x /usr/bin/chromium ;;
  esac >/dev/null 2>&1
}

wanted=("${product[@]}")
case "${1:-}" in
  --test) wanted+=("${tests[@]}") ;;
  "") ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  present "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$EUID" -ne 0 ]; then
  echo "coverwatch needs Debian packages that are not installed (${missing[*]}); run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "installing ${missing[*]}" >&2
# A fresh machine's package lists may be empty or stale: update only when the install needs it.
apt-get install -y -qq "${missing[@]}" || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }
