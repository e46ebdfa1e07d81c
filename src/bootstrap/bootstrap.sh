#!/bin/sh
# Starts our own sshd inside a container, bound to 127.0.0.1, for ecs-remote-ssh.
# Run as: sh -c '<this script>' ecs-remote-ssh PORT PUBLIC_KEY LOGIN_USER
# POSIX sh (dash, busybox ash). Idempotent: safe on every connect. When our sshd already
# listens with the same config, no package manager runs (the fast path).
# The last line it prints is the result:
#   ECSR-RESULT ok port=P user=U did=ACTIONS hostkey=TYPE BASE64
#   ECSR-RESULT error code=CODE reason=TEXT
set -u
PORT=$1
PUBKEY=$2
LOGIN=$3
DID=

fail() {
  echo "ECSR-RESULT error code=$1 reason=$2"
  exit 1
}

did() {
  DID=$DID${DID:+,}$1
}

listening() {
  hex=$(printf '%04X' "$PORT")
  grep -qi ":$hex 00000000:0000 0A" /proc/net/tcp 2>/dev/null
}

alive() {
  [ -f "$DIR/sshd.pid" ] && kill -0 "$(cat "$DIR/sshd.pid")" 2>/dev/null
}

pick_dir() {
  for d in /var/lib/ecs-remote-ssh /tmp/ecs-remote-ssh; do
    if mkdir -p "$d" 2>/dev/null && [ -w "$d" ]; then
      DIR=$d
      return 0
    fi
  done
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
  if grep -qi 'no space left' "$DIR/apt.log"; then
    fail NO_SPACE "apt-get ran out of disk space installing openssh-server"
  fi
  if grep -qiE 'failed to fetch|could not resolve|unreachable|temporary failure|could not connect' "$DIR/apt.log"; then
    fail NO_NETWORK "apt-get cannot reach its package sources: the task has no outbound internet"
  fi
  fail INSTALL_FAILED "apt-get install openssh-server failed: $(tail -n 1 "$DIR/apt.log")"
}

install_sshd() {
  if command -v apt-get >/dev/null 2>&1; then
    apt_install
    did installed
    return 0
  fi
  for pm in apk dnf microdnf yum zypper; do
    if command -v "$pm" >/dev/null 2>&1; then
      fail UNSUPPORTED_PACKAGE_MANAGER "sshd is missing and installing it with $pm is not supported yet"
    fi
  done
  fail NO_PACKAGE_MANAGER "sshd is missing and the image has no package manager to install it"
}

write_config() {
  cat >"$DIR/sshd_config.new" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/ssh_host_ed25519_key
PidFile $DIR/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
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
  [ -f "$DIR/ssh_host_ed25519_key" ] && return 0
  command -v ssh-keygen >/dev/null 2>&1 || fail NO_KEYGEN "ssh-keygen is missing next to sshd"
  ssh-keygen -q -t ed25519 -N '' -C ecs-remote-ssh -f "$DIR/ssh_host_ed25519_key" >/dev/null 2>&1 ||
    fail KEYGEN_FAILED "ssh-keygen could not create the host key in $DIR"
  did hostkey
}

ensure_user_key() {
  touch "$DIR/authorized_keys" && chmod 644 "$DIR/authorized_keys"
  grep -qxF "$PUBKEY" "$DIR/authorized_keys" 2>/dev/null && return 0
  echo "$PUBKEY" >>"$DIR/authorized_keys" || fail NO_SPACE "could not add the key to $DIR"
  did key
}

start_sshd() {
  mkdir -p /run/sshd /var/run/sshd 2>/dev/null
  chmod 755 /run/sshd 2>/dev/null
  out=$("$SSHD" -t -f "$DIR/sshd_config" 2>&1) || fail SSHD_CONFIG_INVALID "sshd -t: $out"
  if alive; then kill "$(cat "$DIR/sshd.pid")" 2>/dev/null; sleep 0.2; fi
  if listening; then fail PORT_IN_USE "port $PORT is taken by another process in the container"; fi
  if command -v setsid >/dev/null 2>&1; then
    setsid "$SSHD" -f "$DIR/sshd_config" -E "$DIR/sshd.log" </dev/null >/dev/null 2>&1
  else
    "$SSHD" -f "$DIR/sshd_config" -E "$DIR/sshd.log" </dev/null >/dev/null 2>&1
  fi
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
chmod 755 "$DIR"
changed=0
write_config && changed=1
if [ "$changed" = 0 ] && alive && listening; then
  ensure_user_key
  did reused
else
  find_sshd || { install_sshd; find_sshd || fail INSTALL_FAILED "sshd not found after install"; }
  ensure_host_key
  ensure_user_key
  start_sshd
fi
echo "ECSR-RESULT ok port=$PORT user=$LOGIN did=$DID hostkey=$(cut -d' ' -f1,2 "$DIR/ssh_host_ed25519_key.pub")"
