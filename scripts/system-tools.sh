#!/usr/bin/env bash
# The system tools the tests run, in one place for `npm test` and `.ci/run`.
#
#   bash scripts/system-tools.sh check    exit 0 silently when every tool is present; otherwise print what is
#                                         missing and the command that installs it, and exit 1
#   bash scripts/system-tools.sh install  the same check; anything missing is installed with apt-get when this runs
#                                         as root with apt-get on PATH (the packages' services kept stopped),
#                                         otherwise the check's message and exit 1
#
# Detection matches what the tests run: the fixtures start /usr/sbin/slapd, /usr/sbin/slapadd, /usr/sbin/slapcat,
# /usr/sbin/samba and /usr/bin/samba-tool by path, read /usr/share/samba/setup/provision.ldif, launch Chromium at
# $ROSTER_CHROMIUM or /usr/bin/chromium, and find ldapsearch, ldapmodify and openssl on PATH.
# ROSTER_SYSTEM_ROOT is put in front of the fixed paths (empty: the real ones); the tests use it with PATH to point
# the check at an empty folder. Only bash builtins are used until something has to be installed.
set -euo pipefail

mode=${1:-}
if [ "$mode" != check ] && [ "$mode" != install ]; then
  echo "usage: bash scripts/system-tools.sh check|install" >&2
  exit 2
fi
root=${ROSTER_SYSTEM_ROOT:-}

missing_tools=()
missing_pkgs=()
samba_needed=0

need() { # need TOOL PACKAGE...
  missing_tools+=("$1")
  local p
  for p in "${@:2}"; do
    case " ${missing_pkgs[*]:-} " in *" $p "*) ;; *) missing_pkgs+=("$p") ;; esac
  done
}

detect() {
  missing_tools=()
  missing_pkgs=()
  samba_needed=0
  local f c
  for f in slapd slapadd slapcat; do [ -x "$root/usr/sbin/$f" ] || need "$root/usr/sbin/$f" slapd; done
  for c in ldapsearch ldapmodify; do command -v "$c" >/dev/null 2>&1 || need "$c" ldap-utils; done
  command -v openssl >/dev/null 2>&1 || need openssl openssl
  if [ -n "${ROSTER_CHROMIUM:-}" ]; then
    [ -x "$ROSTER_CHROMIUM" ] || need "$ROSTER_CHROMIUM (ROSTER_CHROMIUM)" chromium
  else
    [ -x "$root/usr/bin/chromium" ] || need "$root/usr/bin/chromium" chromium
  fi
  # Samba's AD DC (a real Active Directory for src-main/core/sync/samba.test.ts): the samba binary, samba-tool
  # and the provisioning data.
  [ -x "$root/usr/sbin/samba" ] || { need "$root/usr/sbin/samba" samba-ad-dc samba-ad-provision; samba_needed=1; }
  [ -x "$root/usr/bin/samba-tool" ] || { need "$root/usr/bin/samba-tool" samba-ad-dc samba-ad-provision; samba_needed=1; }
  [ -e "$root/usr/share/samba/setup/provision.ldif" ] || { need "$root/usr/share/samba/setup/provision.ldif" samba-ad-dc samba-ad-provision; samba_needed=1; }
}

explain() {
  local sudo=''
  [ "${EUID:-$(id -u)}" = 0 ] || sudo='sudo '
  local IFS=' '
  {
    echo "The tests need system tools that are missing: ${missing_tools[*]}"
    echo "Install them, then run npm test again:"
    echo "  ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missing_pkgs[*]}"
  } >&2
}

detect
[ ${#missing_tools[@]} -eq 0 ] && exit 0

if [ "$mode" = check ] || [ "${EUID:-$(id -u)}" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  explain
  exit 1
fi

echo "== installing ${missing_pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
# Tests start private servers; keep the packages' own services from starting.
policy_added=0
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy_added=1; fi
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing_pkgs[@]}" ca-certificates
if [ "$policy_added" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
if [ "$samba_needed" = 1 ]; then
  # The samba packages enable smbd/nmbd/winbind/samba-ad-dc; the tests run their own DC on 127.0.0.1:389/636,
  # so make sure none of the system services runs (policy-rc.d kept them from starting) or starts at boot.
  for svc in samba-ad-dc smbd nmbd winbind; do
    if [ -d /run/systemd/system ]; then systemctl disable --now "$svc" >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/$svc" ]; then "/etc/init.d/$svc" stop >/dev/null 2>&1 || true; fi
  done
fi

detect
if [ ${#missing_tools[@]} -gt 0 ]; then
  echo "apt-get installed the packages, but these are still missing:" >&2
  explain
  exit 1
fi
