#!/usr/bin/env bash
# Install the Debian packages paperboy's build and tests need; do nothing when all are there.
# Used by `make run` and `make test` (and so by .ci/run). Needs root (or sudo) only to install.
set -euo pipefail

packages=(
  build-essential cmake pkg-config          # toolchain
  libcurl4-openssl-dev                      # HTTP(S)
  libsqlite3-dev                            # the archive
  libjansson-dev                            # JSON
  libinih-dev                               # config files
  libcmark-dev                              # Markdown -> HTML
  libglib2.0-dev                            # SHA-256 (GChecksum)
  libmicrohttpd-dev                         # the demo's offline answer server
  libicu-dev                                # Chinese word segmentation
  libcairo2-dev libpango1.0-dev libpng-dev  # pictures
  fonts-noto-cjk                            # a CJK font for them
  libespeak-ng-dev espeak-ng-data           # offline speech
  libmp3lame-dev                            # MP3
  libopencc-dev libopencc-data              # zh-TW editions (Simplified -> Traditional)
  libqrencode-dev                           # the poster's QR code
  libxml2-dev                               # fuzz/: the HTML and XML properties of the edition and feeds
  clang libclang-rt-14-dev                  # fuzz/: the libFuzzer targets (make test runs each briefly)
  zbar-tools                                # tests decode that QR code (zbarimg)
  mpg123 python3-mutagen                    # tests decode the MP3 and read its tags
  opencc                                    # tests check the zh-TW text with the opencc tool
  chromium fonts-noto-color-emoji           # tests load the HTML edition in headless chromium
  python3                                   # the fake servers and end-to-end tests
  python3-feedparser                        # tests parse the site's Atom feed as feed readers do
  python3-aiosmtpd                          # tests receive the mail with a local SMTP server
  sqlite3                                   # tests inspect the archive with it
  valgrind                                  # make test runs the unit tests under it
  python3-yaml shellcheck                   # tests check the GitHub Actions example and its scripts
  git                                       # tests run its data-branch steps against a local remote
  systemd tzdata                            # tests verify the systemd example (systemd-analyze)
  ca-certificates                           # HTTPS to huggingface.co
  groff-base man-db                         # tests check paperboy(1) (groff -ww, man --warnings, lexgrog)
  dpkg-dev                                  # make deb and its test: CPack runs dpkg-shlibdeps
  lintian                                   # the test of make deb checks the .deb with it
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "paperboy: installing missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "paperboy: cannot install packages (not root, no sudo); install them and run again: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
