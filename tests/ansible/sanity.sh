#!/bin/sh
# ansible-test sanity for the rosbill.routeros collection (docs/fleet.md "Sanity"). ansible-test wants the collection
# at the top of a git work tree of its own, so a copy is checked in a temporary folder.
# Usage: tests/ansible/sanity.sh [ansible-test sanity options, e.g. --test validate-modules]
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/ansible_collections/rosbill"
cp -r "$ROOT/ansible_collections/rosbill/routeros" "$WORK/ansible_collections/rosbill/"
# ansible-test bootstraps pip in its venvs with a get-pip.py it downloads; offline, put our stand-in in its cache.
CACHE="$HOME/.ansible/test/cache"
for script in get_pip_24_2.py; do
    [ -e "$CACHE/$script" ] || { mkdir -p "$CACHE" && cp "$ROOT/tests/ansible/get_pip_offline.py" "$CACHE/$script"; }
done
cd "$WORK/ansible_collections/rosbill/routeros"
git init -q . && git add -A && git -c user.name=sanity -c user.email=sanity@localhost commit -q -m sanity
"$ROOT/.venv/bin/ansible-test" sanity --python 3.11 --local "$@"
