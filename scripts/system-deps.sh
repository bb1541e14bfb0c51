#!/bin/sh
# Installs the Debian packages the test suite needs, only when they are missing.
# Needs root (CI runs as root); otherwise prints what to install and carries on.
#
# The servers among them (PostgreSQL, Redis, nginx) are installed without being started:
# the tests start their own copies on free loopback ports (tests/scale/, scripts/with-services.sh).
set -e
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v redis-cli >/dev/null 2>&1 || missing="$missing redis-tools"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
command -v pg_dump >/dev/null 2>&1 || missing="$missing postgresql-client"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
[ -e /usr/lib/x86_64-linux-gnu/libpango-1.0.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libpango-1.0.so.0 ] \
  || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "Missing Debian packages:$missing — install them with: sudo apt-get install$missing" >&2
  exit 0
fi
echo "Installing Debian packages:$missing"
# Keep the packaged services from starting on install (the standard policy-rc.d switch).
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  policy=1
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
[ -z "$policy" ] || rm -f /usr/sbin/policy-rc.d
