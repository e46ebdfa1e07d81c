#!/bin/sh
# Starts our own sshd inside a container, bound to 127.0.0.1, for ecs-remote-ssh.
# Run as: sh -c '<this script>' ecs-remote-ssh PORT PUBLIC_KEY LOGIN_USER [probe]
# POSIX sh (dash, busybox ash). Idempotent: safe on every connect. When our sshd already
# listens with the same config, no package manager runs (the fast path).
# With "probe" it installs and starts nothing (it only makes its own state directory): it says
# whether sshd is there or could be installed.
# The last line it prints is the result:
#   ECSR-RESULT ok port=P user=U did=ACTIONS hostkey=TYPE BASE64
#   ECSR-RESULT probe sshd=PATH | ECSR-RESULT probe install=apt
#   ECSR-RESULT error code=CODE reason=TEXT
set -u
PORT=$1
PUBKEY=$2
LOGIN=$3
MODE=${4:-start}
DID=

fail() {
  printf 'ECSR-RESULT error code=%s reason=%s\n' "$1" "$2"
  exit 1
}

did() {
  DID=$DID${DID:+,}$1
}

# A listener on the port, IPv4 or IPv6, any address.
listening() {
  hex=$(printf '%04X' "$PORT")
  grep -qiE ":$hex [0-9A-F]+:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Our sshd runs: the pid file names a process started with our config (never a reused pid).
alive() {
  [ -f "$DIR/sshd.pid" ] || return 1
  pid=$(cat "$DIR/sshd.pid")
  [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$DIR/sshd_config"
}

# One setup at a time per container; a lock whose holder is gone is taken over.
lock() {
  i=0
  while ! mkdir "$DIR/lock" 2>/dev/null; do
    holder=$(cat "$DIR/lock/pid" 2>/dev/null)
    if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
      rm -rf "$DIR/lock"
      continue
    fi
    i=$((i + 1))
    [ "$i" -gt 1500 ] && fail BUSY "another connect has been setting up sshd for 5 minutes"
    sleep 0.2
  done
  echo $$ >"$DIR/lock/pid"
  trap 'rm -rf "$DIR/lock"' EXIT
}

# sshd without PAM refuses a locked account (a "!" password, as useradd leaves it). An
# account that never had a password gets "*": no password login, not locked.
unlock_login() {
  entry=$(grep "^$LOGIN:" /etc/shadow 2>/dev/null | cut -d: -f2)
  case $entry in
  '!' | '!!' | '!*')
    usermod -p '*' "$LOGIN" 2>/dev/null && did unlocked && return 0
    fail ACCOUNT_LOCKED "user $LOGIN is locked and could not be unlocked (usermod -p '*' $LOGIN)"
    ;;
  '!'*) fail ACCOUNT_LOCKED "user $LOGIN's password is locked (passwd -l); sshd refuses it: run passwd -u $LOGIN" ;;
  esac
}

free_kb() {
  df -Pk "$1" 2>/dev/null | { read -r _ && read -r _ _ _ kb _ && echo "$kb"; }
}

pick_dir() {
  full=
  for d in /var/lib/ecs-remote-ssh /tmp/ecs-remote-ssh; do
    if mkdir -p "$d" 2>/dev/null && [ -w "$d" ]; then
      kb=$(free_kb "$d")
      if [ -n "$kb" ] && [ "$kb" -lt 256 ]; then
        full=$d
        continue
      fi
      DIR=$d
      return 0
    fi
  done
  [ -n "$full" ] && fail NO_SPACE "no space left in $full for the sshd config and host key"
  fail READ_ONLY_FS "no writable directory for the sshd config (tried /var/lib and /tmp)"
}

find_sshd() {
  SSHD=$(command -v sshd 2>/dev/null || true)
  [ -n "$SSHD" ] || for c in /usr/sbin/sshd /usr/local/sbin/sshd /sbin/sshd; do
    [ -x "$c" ] && SSHD=$c && break
  done
  [ -n "$SSHD" ]
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  opts="-y -q -o Acquire::Retries=0 -o Acquire::http::Timeout=20 -o Dpkg::Use-Pty=0"
  # shellcheck disable=SC2086
  if apt-get install $opts --no-install-recommends openssh-server >"$DIR/apt.log" 2>&1; then
    return 0
  fi
  # shellcheck disable=SC2086
  apt-get update $opts >>"$DIR/apt.log" 2>&1
  # shellcheck disable=SC2086
  apt-get install $opts --no-install-recommends openssh-server >>"$DIR/apt.log" 2>&1 && return 0
  apt_failed "$DIR/apt.log"
  fail INSTALL_FAILED "apt-get install openssh-server failed: $(tail -n 1 "$DIR/apt.log")"
}

apt_failed() {
  if grep -qi 'no space left' "$1"; then
    fail NO_SPACE "apt-get ran out of disk space installing openssh-server"
  fi
  if grep -qiE 'failed to fetch|could not resolve|unreachable|temporary failure|could not connect' "$1"; then
    fail NO_NETWORK "apt-get cannot reach its package sources: the task has no outbound internet"
  fi
}

need_apt() {
  command -v apt-get >/dev/null 2>&1 && return 0
  for pm in apk dnf microdnf yum zypper; do
    if command -v "$pm" >/dev/null 2>&1; then
      fail UNSUPPORTED_PACKAGE_MANAGER "sshd is missing and installing it with $pm is not supported yet"
    fi
  done
  fail NO_PACKAGE_MANAGER "sshd is missing and the image has no package manager to install it"
}

install_sshd() {
  need_apt
  apt_install
  did installed
}

# Reads the package sources into a scratch directory (the image's own lists stay as they are)
# and looks for openssh-server there. apt-get update exits 0 even when it reaches no mirror.
probe_install() {
  need_apt
  kb=$(free_kb /usr)
  if [ -n "$kb" ] && [ "$kb" -lt 32768 ]; then
    fail NO_SPACE "only $kb KB free under /usr; openssh-server needs about 32 MB"
  fi
  lists=$DIR/probe-lists
  mkdir -p "$lists/partial"
  scratch="-o Dir::State::Lists=$lists -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache="
  # shellcheck disable=SC2086
  apt-get update -q -o Acquire::Retries=0 -o Acquire::http::Timeout=20 -o Debug::NoLocking=1 \
    $scratch >"$DIR/probe.log" 2>&1
  # shellcheck disable=SC2086
  found=$(apt-cache $scratch policy openssh-server 2>/dev/null | grep -c 'Candidate: [0-9]')
  rm -rf "$lists"
  if [ "$found" != 0 ]; then
    rm -f "$DIR/probe.log"
    return 0
  fi
  apt_failed "$DIR/probe.log"
  fail INSTALL_FAILED "openssh-server is not in the package sources: $(tail -n 1 "$DIR/probe.log")"
}

write_config() {
  cat >"$DIR/sshd_config.new" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/ssh_host_ed25519_key
PidFile $DIR/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
StrictModes $STRICT
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
UsePAM no
PrintMotd no
X11Forwarding no
Subsystem sftp internal-sftp
EOF
  if [ -f "$DIR/sshd_config" ] && [ "$(cat "$DIR/sshd_config")" = "$(cat "$DIR/sshd_config.new")" ]; then
    rm -f "$DIR/sshd_config.new"
    return 1
  fi
  mv "$DIR/sshd_config.new" "$DIR/sshd_config"
  return 0
}

ensure_host_key() {
  [ -s "$DIR/ssh_host_ed25519_key" ] && [ -s "$DIR/ssh_host_ed25519_key.pub" ] && return 0
  rm -f "$DIR/ssh_host_ed25519_key" "$DIR/ssh_host_ed25519_key.pub"
  command -v ssh-keygen >/dev/null 2>&1 || fail NO_KEYGEN "ssh-keygen is missing next to sshd"
  ssh-keygen -q -t ed25519 -N '' -C ecs-remote-ssh -f "$DIR/ssh_host_ed25519_key" >/dev/null 2>&1 ||
    fail KEYGEN_FAILED "ssh-keygen could not create the host key in $DIR"
  did hostkey
}

ensure_user_key() {
  touch "$DIR/authorized_keys" && chmod 644 "$DIR/authorized_keys"
  grep -qxF "$PUBKEY" "$DIR/authorized_keys" 2>/dev/null && return 0
  printf '%s\n' "$PUBKEY" >>"$DIR/authorized_keys" || fail NO_SPACE "could not add the key to $DIR"
  did key
}

start_sshd() {
  mkdir -p /run/sshd /var/run/sshd 2>/dev/null
  chmod 755 /run/sshd 2>/dev/null
  out=$("$SSHD" -t -f "$DIR/sshd_config" 2>&1) || fail SSHD_CONFIG_INVALID "sshd -t: $out"
  if alive; then kill "$(cat "$DIR/sshd.pid")" 2>/dev/null; sleep 0.2; fi
  if listening; then fail PORT_IN_USE "port $PORT is taken by another process in the container"; fi
  detach=
  command -v setsid >/dev/null 2>&1 && detach=setsid
  $detach "$SSHD" -f "$DIR/sshd_config" -E "$DIR/sshd.log" </dev/null >/dev/null 2>&1 ||
    fail SSHD_START_FAILED "sshd exited: $(tail -n 1 "$DIR/sshd.log" 2>/dev/null)"
  i=0
  while ! listening; do
    i=$((i + 1))
    [ "$i" -gt 100 ] && fail SSHD_START_FAILED "sshd did not listen on port $PORT: $(tail -n 1 "$DIR/sshd.log" 2>/dev/null)"
    sleep 0.1
  done
  did started
}

id "$LOGIN" >/dev/null 2>&1 || fail USER_NOT_FOUND "user $LOGIN does not exist in the container"
pick_dir
if [ "$MODE" = probe ]; then
  if find_sshd; then
    echo "ECSR-RESULT probe sshd=$SSHD"
    exit 0
  fi
  probe_install
  echo "ECSR-RESULT probe install=apt"
  exit 0
fi
chmod 755 "$DIR"
lock
# sshd's StrictModes refuses keys under the world-writable /tmp; our directory there is root's.
STRICT=yes
case $DIR in /tmp/*) STRICT=no ;; esac
unlock_login
changed=0
write_config && changed=1
if [ "$changed" = 0 ] && [ -s "$DIR/ssh_host_ed25519_key.pub" ] && alive && listening; then
  ensure_user_key
  did reused
else
  find_sshd || { install_sshd; find_sshd || fail INSTALL_FAILED "sshd not found after install"; }
  ensure_host_key
  ensure_user_key
  start_sshd
fi
echo "ECSR-RESULT ok port=$PORT user=$LOGIN did=$DID hostkey=$(cut -d' ' -f1,2 "$DIR/ssh_host_ed25519_key.pub")"
