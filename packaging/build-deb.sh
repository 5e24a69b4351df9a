#!/usr/bin/env bash
# Builds target/debian/feedhook_<version>_<arch>.deb: the release binary, the systemd unit, the
# sysusers and tmpfiles files, the example config as a conffile, completions and the man page.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-deb >/dev/null || cargo install cargo-deb --locked
cargo build --release
mkdir -p target/assets
target/release/feedhook man > target/assets/feedhook.1
target/release/feedhook completions bash > target/assets/feedhook.bash
target/release/feedhook completions zsh > target/assets/_feedhook
target/release/feedhook completions fish > target/assets/feedhook.fish
cargo deb --no-build
dpkg-deb --contents target/debian/feedhook_*.deb
