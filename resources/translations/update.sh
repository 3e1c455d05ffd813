#!/usr/bin/env bash
# Refresh the .ts files from the sources (keeping existing translations) and compile the .qm files.
# Run after changing any user-visible string; tests/test_translations.py fails when this is due.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(dirname "$(command -v python)")
lupdate="$bin/pyside6-lupdate"; lrelease="$bin/pyside6-lrelease"
srcs=$(ls console/*.py console/controllers/*.py layers/*.py data/messages.py data/district/coords.py)
for lang in zh_CN en; do
  "$lupdate" -silent -no-obsolete -locations none $srcs -ts "resources/translations/gridwatch_${lang}.ts"
  "$lrelease" -silent "resources/translations/gridwatch_${lang}.ts" -qm "resources/translations/gridwatch_${lang}.qm"
done
