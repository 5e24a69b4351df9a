#!/usr/bin/env bash
# Builds target/debian/feedhook_<version>_<arch>.deb: the release binary, the systemd unit, the
# sysusers and tmpfiles files, the example config as a conffile, completions and the man page.
#   packaging/build-deb.sh          install cargo-deb if needed, build, package; prints the .deb's path
#   packaging/build-deb.sh tools    only install cargo-deb (.ci/run times the two apart)
set -euo pipefail
cd "$(dirname "$0")/.."

# One version, so that every machine packages alike; `cargo install` builds it (a few minutes), once.
cargo_deb_version=3.8.0
if ! cargo deb --version 2>/dev/null | grep -qF "$cargo_deb_version"; then
  cargo install cargo-deb --version "$cargo_deb_version" --locked
fi
[ "${1:-}" = tools ] && exit 0

cargo build --release
mkdir -p target/assets
# The packaged config is the example with the state moved out of /etc (read-only to the service, and
# /etc/feedhook is not the feedhook user's to write) into the folder the unit's StateDirectory= makes.
# An absolute path, so that `feedhook status` in a shell reads the same file as the service.
awk '
  $0 == "path = \"feedhook.db\"" {
    print "# The Debian package keeps it in /var/lib/feedhook, the unit'"'"'s StateDirectory=."
    print "path = \"/var/lib/feedhook/feedhook.db\""
    moved++
    next
  }
  { print }
  END { if (moved != 1) { print "config.example.toml: no single `path = \"feedhook.db\"` line to move" > "/dev/stderr"; exit 1 } }
' config.example.toml > target/assets/feedhook.toml
target/release/feedhook man > target/assets/feedhook.1
target/release/feedhook completions bash > target/assets/feedhook.bash
target/release/feedhook completions zsh > target/assets/_feedhook
target/release/feedhook completions fish > target/assets/feedhook.fish
# A .deb from an earlier version would be taken for this one by `ls target/debian/*.deb`.
rm -f target/debian/feedhook_*.deb
cargo deb --no-build
