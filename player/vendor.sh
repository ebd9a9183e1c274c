#!/usr/bin/env bash
# Refresh the asciinema-player files the package carries (guiderunner/site/assets/player/)
# from the version player/package-lock.json pins. Development time only: the wheel carries
# the files, so neither a site build nor a user's machine needs npm.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
target=../guiderunner/site/assets/player
cp node_modules/asciinema-player/dist/bundle/asciinema-player.min.js \
   node_modules/asciinema-player/dist/bundle/asciinema-player.css \
   node_modules/asciinema-player/LICENSE "$target/"
version=$(node -p 'require("./node_modules/asciinema-player/package.json").version')
echo "asciinema-player $version copied into $target; set VERSION in guiderunner/site/player.py"
