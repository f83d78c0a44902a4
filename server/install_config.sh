#!/bin/sh
# meson install script: put the commented default burrowd_config in place
# unless one is already there, so reinstalling after an upgrade never
# overwrites the administrator's edits (a lost "Port 2222" could lock the
# machine out). Usage: install_config.sh SOURCE_FILE DEST_DIR
set -eu
source_file=$1
dest_dir=${DESTDIR:-}$2
dest=$dest_dir/$(basename "$source_file")
mkdir -p "$dest_dir"
if [ -e "$dest" ]; then
    echo "Keeping existing $dest"
    exit 0
fi
install -m 0644 "$source_file" "$dest"
echo "Installing $source_file to $dest_dir"
