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
cd "$WORK/ansible_collections/rosbill/routeros"
git init -q . && git add -A && git -c user.name=sanity -c user.email=sanity@localhost commit -q -m sanity
"$ROOT/.venv/bin/ansible-test" sanity --python 3.11 --local "$@"
