#!/usr/bin/env bash
# Installs what the tests and benchmarks need when it is missing: Debian packages
# (Python grpcio, C++ gRPC, protoc and its gRPC plugins, h2load, Node.js, Chromium and fonts) and the
# npm packages under tests/. Safe to run again: it only installs what is absent.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

missing=()
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null; } || missing+=(python3 python3-grpcio python3-grpc-tools)
{ command -v protoc >/dev/null && [ -x /usr/bin/grpc_python_plugin ] && [ -x /usr/bin/grpc_cpp_plugin ]; } || missing+=(protobuf-compiler protobuf-compiler-grpc)
{ [ -f /usr/include/grpcpp/grpcpp.h ] && [ -f /usr/include/google/protobuf/port_def.inc ] && command -v pkg-config >/dev/null && command -v g++ >/dev/null; } || missing+=(libgrpc++-dev libprotobuf-dev pkg-config g++)
command -v h2load >/dev/null || missing+=(nghttp2-client)
{ command -v node >/dev/null && command -v npm >/dev/null; } || missing+=(nodejs npm)
# The web console's browser tests: Debian's Chromium (Playwright never downloads one), with fonts for Arabic and Latin.
[ -x /usr/bin/chromium ] || missing+=(chromium)
{ dpkg -s fonts-noto-core >/dev/null 2>&1 && dpkg -s fonts-dejavu-core >/dev/null 2>&1; } || missing+=(fonts-noto-core fonts-dejavu-core)

status=0
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
      sudo="sudo"
    else
      echo "These Debian packages are needed and this user cannot install them: ${missing[*]}" >&2
      echo "Install them as root: apt-get install ${missing[*]}" >&2
      status=1
    fi
  fi
  if [ $status -eq 0 ]; then
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 || status=1
  fi
fi

if command -v npm >/dev/null; then
  for dir in tests/tools tests/interop/node; do
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      say "Installing npm packages in $dir"
      # 'npm install' rather than 'npm ci': the lock cannot list platform packages that the package
      # registry here does not serve (e.g. buf for macOS), and 'npm ci' refuses such a lock.
      (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >&2) || status=1
    fi
  done
fi

exit $status
