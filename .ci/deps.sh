#!/usr/bin/env bash
# Installs what building Rebill needs and is missing: a C compiler and the
# GL/X11 headers Fyne links against. On Debian/Ubuntu it uses apt (directly
# as root, else through sudo) and says what it does; on macOS and Windows it
# prints the prerequisites instead.
set -euo pipefail

debian_packages=(gcc pkg-config libgl1-mesa-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
# --package adds what `make package` and its test (package_test.go) need:
# mingw-w64 to cross-compile the Windows build, zip, xz and NSIS for the
# archives and the installer, Wine to run the .exe and pdftotext to read
# the PDF it writes. It also adds Node.js and npm, which the EN 16931
# validation rules the e-invoice tests run (../shared/validation/en16931)
# need; poppler-utils also reads the Factur-X PDF.
if [ "${1:-}" = --package ]; then
  debian_packages+=(gcc-mingw-w64-x86-64 zip xz-utils nsis wine64 poppler-utils nodejs npm)
fi
# --node adds Node and npm: tests run the SQL under docs/sql in DuckDB through
# @duckdb/node-api, which they install into a cache folder
# (store/duckdb_test.go), and skip without them.
if [[ " $* " == *" --node "* ]]; then
  debian_packages+=(nodejs npm)
fi

need_go() {
  if ! command -v go >/dev/null 2>&1; then
    echo "Go is not installed: get Go 1.26 or newer from https://go.dev/dl/ and run this again." >&2
    exit 1
  fi
}

case "$(uname -s)" in
Linux)
  need_go
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "This is not a Debian/Ubuntu system: install a C compiler, pkg-config and the OpenGL, Xcursor, Xrandr, Xinerama, Xi and Xxf86vm development headers with your package manager."
    exit 0
  fi
  missing=()
  for p in "${debian_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    exit 0
  fi
  echo "Installing the missing system packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    echo "(through sudo; you may be asked for your password)"
    sudo=(sudo)
  else
    echo "Run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
  ;;
Darwin)
  need_go
  if ! xcode-select -p >/dev/null 2>&1; then
    echo "macOS needs Apple's command line tools for the C compiler Fyne uses: run  xcode-select --install"
    exit 1
  fi
  ;;
MINGW* | MSYS* | CYGWIN*)
  need_go
  if ! command -v gcc >/dev/null 2>&1; then
    echo "Windows needs a C compiler for Fyne: install MSYS2 (https://www.msys2.org) and then  pacman -S mingw-w64-x86_64-gcc  and put C:\\msys64\\mingw64\\bin on PATH."
    exit 1
  fi
  ;;
*)
  echo "Unknown system $(uname -s): Rebill needs Go 1.26+, a C compiler and OpenGL development files (see README.md)."
  ;;
esac
