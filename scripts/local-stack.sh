#!/usr/bin/env bash
# The local stack the worker and its integration tests need: RabbitMQ (Debian package, with the management
# plugin) and Azurite's blob service (npm package, installed into .local/azurite).
#
#   scripts/local-stack.sh start  [rabbitmq|azurite ...]  install what is missing, start what is not running,
#                                                          wait until each one answers
#   scripts/local-stack.sh stop   [rabbitmq|azurite ...]  stop what this script started, nothing else
#   scripts/local-stack.sh status [rabbitmq|azurite ...]  what answers, and who started it (exit 3 if one is down)
#   scripts/local-stack.sh env                             `export` lines for the worker and the tests:
#                                                          eval "$(scripts/local-stack.sh env)"
#   scripts/local-stack.sh jemalloc                        the path of Debian's jemalloc (libjemalloc2), installed
#                                                          when missing, for the worker's LD_PRELOAD (as in the
#                                                          container image); nothing, with a warning, where it cannot
#   scripts/local-stack.sh codecs                          installs the image codecs the worker loads at run time
#                                                          when missing: jbig2dec (libjbig2dec0: JBIG2 scans in PDFs)
#                                                          and OpenJPEG (libopenjp2-7: JPEG 2000); a warning where it
#                                                          cannot (the tests read such files)
#   scripts/local-stack.sh promtool                        the path of Prometheus' promtool, unpacked into .local from
#                                                          Debian's prometheus package when missing (make test checks
#                                                          the alerting rules with it); nothing, with a warning, where
#                                                          it cannot
#
# A service that already answers on its port (started by hand, by another worktree, by a package's
# postinst) is used as it is and never stopped by this script. What the script starts is recorded in
# .local/*.pid; logs are in .local/logs (RabbitMQ's own logs stay in /var/log/rabbitmq, linked from there).
set -euo pipefail
# The RabbitMQ commands live in /usr/sbin, which a non-root PATH often lacks.
PATH="$PATH:/usr/sbin:/sbin"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly root
readonly local_dir="$root/.local"
readonly log_dir="$local_dir/logs"

readonly rabbitmq_host=127.0.0.1 rabbitmq_port=5672 rabbitmq_management_port=15672
readonly rabbitmq_user=guest rabbitmq_password=guest
readonly rabbitmq_start_timeout=120 rabbitmq_management_timeout=60
readonly rabbitmq_pid_file="$local_dir/rabbitmq.pid"
# The Debian package runs the node as user rabbitmq with its data in /var/lib/rabbitmq.
rabbitmq_node="rabbit@$(hostname -s 2>/dev/null || echo "${HOSTNAME%%.*}")"
readonly rabbitmq_node
readonly rabbitmq_node_pid_file="/var/lib/rabbitmq/mnesia/$rabbitmq_node.pid"

readonly azurite_version=3.35.0
readonly azurite_host=127.0.0.1 azurite_blob_port=10000
readonly azurite_start_timeout=60
readonly azurite_prefix="$local_dir/azurite"
readonly azurite_bin="$azurite_prefix/node_modules/.bin/azurite-blob"
readonly azurite_data="$local_dir/azurite-data"
readonly azurite_pid_file="$local_dir/azurite.pid"
# Azurite's well-known development account (public, documented by Microsoft; not a secret).
readonly azurite_account=devstoreaccount1
readonly azurite_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

readonly promtool_dir="$local_dir/promtool"

readonly all_services=(rabbitmq azurite)

say() { printf 'local-stack: %s\n' "$*"; }
warn() { printf 'local-stack: warning: %s\n' "$*" >&2; }
die() { printf 'local-stack: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat >&2 <<EOF
usage: scripts/local-stack.sh start|stop|status [rabbitmq|azurite ...]
       scripts/local-stack.sh env|jemalloc|codecs|promtool
EOF
  exit 2
}

# Root for apt-get and the RabbitMQ commands (the Debian wrappers refuse anyone but root and rabbitmq).
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  as_root=(sudo)
fi

need_root() {
  if [[ ${#as_root[@]} -gt 0 ]] && ! command -v sudo >/dev/null; then
    die "$1 needs root: run this script as root or install sudo"
  fi
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

pid_alive() { [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; }

read_pid_file() {
  if [[ -f $1 ]]; then tr -dc '0-9' <"$1"; fi
}

# The command line of a process, readable, or empty.
cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

tail_log() {
  local file=$1
  if [[ -r $file ]]; then
    printf -- '--- last lines of %s ---\n' "$file" >&2
    tail -n 30 "$file" >&2 || true
  fi
}

# Whether the package lists know a candidate for every package named (empty on a fresh machine).
apt_knows() { [[ -n $(apt-cache policy "$@" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)"') ]]; }

apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
  need_root "apt-get install $*"
  # Package lists are empty on a fresh machine and may be stale on an old one: update when the package
  # is unknown, and once more if the install itself fails (a stale list points at removed files).
  local log="$log_dir/apt.out"
  mkdir -p "$log_dir"
  if ! apt_knows "$@"; then
    say "apt-get update"
    "${as_root[@]}" apt-get update -qq >>"$log" 2>&1 || { tail_log "$log"; die "apt-get update failed"; }
  fi
  say "apt-get install $* (log: .local/logs/apt.out)"
  # 9>&-: a service the package may start must not inherit the start/stop lock.
  if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >>"$log" 2>&1 9>&-; then
    "${as_root[@]}" apt-get update -qq >>"$log" 2>&1 || true
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
      >>"$log" 2>&1 9>&- \
      || { tail_log "$log"; die "apt-get install $* failed"; }
  fi
}

# Waits until a TCP port accepts connections, or gives up after $3 seconds.
wait_for_port() {
  local host=$1 port=$2 timeout=$3 waited=0
  until port_open "$host" "$port"; do
    ((waited >= timeout)) && return 1
    sleep 1
    waited=$((waited + 1))
  done
}

# ---------------------------------------------------------------------------------------------- RabbitMQ

rabbitmq_installed() { command -v rabbitmq-server >/dev/null && command -v rabbitmqctl >/dev/null; }

rabbitmq_answers() { port_open "$rabbitmq_host" "$rabbitmq_port"; }

# The pid of the node that the Debian layout says is running, or empty.
rabbitmq_node_pid() { "${as_root[@]}" cat "$rabbitmq_node_pid_file" 2>/dev/null | tr -dc '0-9' || true; }

# Is a node called "rabbit" registered with epmd (running, or still starting)?
rabbitmq_node_registered() { command -v epmd >/dev/null && epmd -names 2>/dev/null | grep -q '^name rabbit at '; }

# Our pid, when the node we started is still the one running.
rabbitmq_our_pid() {
  local pid
  pid=$(read_pid_file "$rabbitmq_pid_file")
  if pid_alive "$pid" && [[ $(cmdline_of "$pid") == *beam* ]]; then
    echo "$pid"
  fi
}

rabbitmq_management_answers() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null -m 3 -u "$rabbitmq_user:$rabbitmq_password" \
      "http://$rabbitmq_host:$rabbitmq_management_port/api/overview" 2>/dev/null
  else
    port_open "$rabbitmq_host" "$rabbitmq_management_port"
  fi
}

wait_for_rabbitmq_management() {
  local waited=0
  until rabbitmq_management_answers; do
    if ((waited >= rabbitmq_management_timeout)); then
      warn "rabbitmq: management API on $rabbitmq_host:$rabbitmq_management_port did not answer within" \
        "${rabbitmq_management_timeout}s (is the rabbitmq_management plugin enabled on this broker?)"
      return 0
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "rabbitmq: management API answers on $rabbitmq_host:$rabbitmq_management_port"
}

enable_rabbitmq_management() {
  if ! grep -qs 'rabbitmq_management' /etc/rabbitmq/enabled_plugins; then
    say "rabbitmq: enabling the management plugin"
    "${as_root[@]}" rabbitmq-plugins enable --offline rabbitmq_management >>"$log_dir/rabbitmq-plugins.out" 2>&1 \
      || { tail_log "$log_dir/rabbitmq-plugins.out"; die "rabbitmq: could not enable rabbitmq_management"; }
  fi
}

start_rabbitmq() {
  local pid
  if rabbitmq_answers; then
    pid=$(rabbitmq_our_pid)
    if [[ -n $pid ]]; then
      say "rabbitmq: already running (started by local-stack, pid $pid)"
    else
      say "rabbitmq: something already answers on $rabbitmq_host:$rabbitmq_port (not started by this script): using it, leaving it alone"
    fi
    wait_for_rabbitmq_management
    return 0
  fi

  if rabbitmq_node_registered; then
    # A node is booting (another worktree's start, say). Starting a second one would fail and take the
    # first one's pid file with it, so wait for it instead.
    say "rabbitmq: a node is starting (not started by this script): waiting for it"
    wait_for_port "$rabbitmq_host" "$rabbitmq_port" "$rabbitmq_start_timeout" \
      || die "rabbitmq: the node registered with epmd did not open $rabbitmq_host:$rabbitmq_port within ${rabbitmq_start_timeout}s"
    wait_for_rabbitmq_management
    return 0
  fi

  mkdir -p "$log_dir"
  if ! rabbitmq_installed; then
    apt_install rabbitmq-server
    rabbitmq_installed || die "rabbitmq: rabbitmq-server is still missing after apt-get install"
    if rabbitmq_node_registered || rabbitmq_answers; then
      # The package's postinst started it (a machine without a policy-rc.d): it is ours to stop.
      wait_for_port "$rabbitmq_host" "$rabbitmq_port" "$rabbitmq_start_timeout" \
        || die "rabbitmq: the node the package started did not open $rabbitmq_host:$rabbitmq_port"
      rabbitmq_node_pid >"$rabbitmq_pid_file"
      say "rabbitmq: started by the package install (pid $(read_pid_file "$rabbitmq_pid_file"))"
      "${as_root[@]}" rabbitmq-plugins enable rabbitmq_management >>"$log_dir/rabbitmq-plugins.out" 2>&1 \
        || warn "rabbitmq: could not enable rabbitmq_management (see .local/logs/rabbitmq-plugins.out)"
      wait_for_rabbitmq_management
      return 0
    fi
  fi

  pid=$(rabbitmq_node_pid)
  if [[ -n $pid ]]; then
    if pid_alive "$pid" && [[ $(cmdline_of "$pid") == *beam* ]]; then
      # A node so early in its boot that it has not registered with epmd yet.
      say "rabbitmq: a node is starting (pid $pid, not started by this script): waiting for it"
      wait_for_port "$rabbitmq_host" "$rabbitmq_port" "$rabbitmq_start_timeout" \
        || die "rabbitmq: node pid $pid did not open $rabbitmq_host:$rabbitmq_port within ${rabbitmq_start_timeout}s"
      wait_for_rabbitmq_management
      return 0
    fi
    # Left by a node that died: it would make `rabbitmqctl wait` give up at once.
    "${as_root[@]}" rm -f "$rabbitmq_node_pid_file"
  fi
  enable_rabbitmq_management
  ln -sfn /var/log/rabbitmq "$log_dir/rabbitmq"

  say "rabbitmq: starting (logs: .local/logs/rabbitmq -> /var/log/rabbitmq)"
  local started=$SECONDS
  # 9>&-: the node must not inherit (and so hold) the start/stop lock.
  "${as_root[@]}" rabbitmq-server -detached >"$log_dir/rabbitmq-server.out" 2>&1 9>&- \
    || { tail_log "$log_dir/rabbitmq-server.out"; die "rabbitmq: rabbitmq-server -detached failed"; }
  if ! "${as_root[@]}" rabbitmqctl wait --timeout "$rabbitmq_start_timeout" "$rabbitmq_node_pid_file" \
    >"$log_dir/rabbitmq-wait.out" 2>&1; then
    tail_log "$log_dir/rabbitmq-wait.out"
    tail_log "/var/log/rabbitmq/$rabbitmq_node.log"
    tail_log /var/log/rabbitmq/startup_err
    pid=$(rabbitmq_node_pid)
    if pid_alive "$pid"; then
      echo "$pid" >"$rabbitmq_pid_file"
      die "rabbitmq: the node (pid $pid) did not finish starting within ${rabbitmq_start_timeout}s ('$0 stop rabbitmq' stops it)"
    fi
    die "rabbitmq: the node did not start (see the logs above)"
  fi
  pid=$(rabbitmq_node_pid)
  [[ -n $pid ]] || die "rabbitmq: started, but $rabbitmq_node_pid_file is empty"
  echo "$pid" >"$rabbitmq_pid_file"
  wait_for_port "$rabbitmq_host" "$rabbitmq_port" 30 \
    || die "rabbitmq: the node runs but $rabbitmq_host:$rabbitmq_port does not answer"
  say "rabbitmq: running on $rabbitmq_host:$rabbitmq_port (pid $pid, $((SECONDS - started))s)"
  wait_for_rabbitmq_management
}

stop_rabbitmq() {
  local pid node_pid
  if [[ ! -f $rabbitmq_pid_file ]]; then
    if rabbitmq_answers; then
      say "rabbitmq: not started by this script: leaving it running"
    else
      say "rabbitmq: not running"
    fi
    return 0
  fi
  pid=$(rabbitmq_our_pid)
  node_pid=$(rabbitmq_node_pid)
  if [[ -z $pid ]]; then
    say "rabbitmq: the node this script started is gone (stale pid file removed)"
  elif [[ $node_pid != "$pid" ]]; then
    warn "rabbitmq: the running node (pid ${node_pid:-unknown}) is not the one this script started (pid $pid): leaving it alone"
  else
    say "rabbitmq: stopping (pid $pid)"
    "${as_root[@]}" rabbitmqctl stop "$rabbitmq_node_pid_file" >"$log_dir/rabbitmq-stop.out" 2>&1 \
      || { tail_log "$log_dir/rabbitmq-stop.out"; warn "rabbitmq: rabbitmqctl stop failed"; }
    local waited=0
    while pid_alive "$pid" && ((waited < 30)); do
      sleep 1
      waited=$((waited + 1))
    done
    if pid_alive "$pid"; then
      warn "rabbitmq: pid $pid still running after 30s: killing it"
      "${as_root[@]}" kill -KILL "$pid" 2>/dev/null || true
    fi
    # Erlang's port mapper outlives the node; stop it too unless another Erlang node still uses it
    # (epmd refuses -kill while names are registered anyway).
    if command -v epmd >/dev/null && epmd -names >/dev/null 2>&1; then
      if epmd -names 2>/dev/null | grep -q '^name '; then
        say "rabbitmq: epmd still serves other Erlang nodes: leaving it running"
      else
        epmd -kill >/dev/null 2>&1 || warn "rabbitmq: epmd -kill failed"
      fi
    fi
    say "rabbitmq: stopped"
  fi
  rm -f "$rabbitmq_pid_file"
}

status_rabbitmq() {
  local pid who
  pid=$(rabbitmq_our_pid)
  if [[ -n $pid ]]; then who="started by local-stack, pid $pid"; else who="not started by this script"; fi
  if rabbitmq_answers; then
    local management=down
    rabbitmq_management_answers && management=up
    say "rabbitmq: up on $rabbitmq_host:$rabbitmq_port, management $management on $rabbitmq_management_port ($who)"
  else
    say "rabbitmq: down"
    return 1
  fi
}

# ----------------------------------------------------------------------------------------------- Azurite

azurite_installed_version() {
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$azurite_prefix/node_modules/azurite/package.json" 2>/dev/null | head -n 1
}

install_azurite() {
  [[ $(azurite_installed_version) == "$azurite_version" && -x $azurite_bin ]] && return 0
  if ! command -v npm >/dev/null; then
    apt_install npm
  fi
  say "azurite: installing azurite@$azurite_version into .local/azurite (npm)"
  mkdir -p "$azurite_prefix" "$log_dir"
  if ! npm install --prefix "$azurite_prefix" --no-audit --no-fund --save-exact --loglevel=error \
    "azurite@$azurite_version" >"$log_dir/azurite-install.out" 2>&1; then
    tail_log "$log_dir/azurite-install.out"
    die "azurite: npm install azurite@$azurite_version failed"
  fi
  [[ -x $azurite_bin ]] || die "azurite: $azurite_bin missing after npm install"
}

azurite_answers() { port_open "$azurite_host" "$azurite_blob_port"; }

# Our pid, when the Azurite this script started still runs.
azurite_our_pid() {
  local pid
  pid=$(read_pid_file "$azurite_pid_file")
  if pid_alive "$pid" && [[ $(cmdline_of "$pid") == *azurite* ]]; then
    echo "$pid"
  fi
}

start_azurite() {
  local pid
  if azurite_answers; then
    pid=$(azurite_our_pid)
    if [[ -n $pid ]]; then
      say "azurite: already running (started by local-stack, pid $pid)"
    else
      say "azurite: something already answers on $azurite_host:$azurite_blob_port (not started by this script): using it, leaving it alone"
    fi
    return 0
  fi
  pid=$(azurite_our_pid)
  if [[ -n $pid ]]; then
    # Started by us a moment ago and still opening its port.
    say "azurite: starting (pid $pid): waiting for it"
  else
    rm -f "$azurite_pid_file"
    install_azurite
    mkdir -p "$azurite_data" "$log_dir"
    # Azurite writes a line per request (a benchmark writes hundreds of thousands): each start begins a new log and
    # keeps the one before as azurite.log.1, so the logs stay two runs long however often the stack is started.
    [[ -f $log_dir/azurite.log ]] && mv -f "$log_dir/azurite.log" "$log_dir/azurite.log.1"
    say "azurite: starting (data: .local/azurite-data, log: .local/logs/azurite.log, the run before in azurite.log.1)"
    # --skipApiVersionCheck: Azure.Storage.Blobs 12.30 sends an API version newer than Azurite knows (HTTP 400
    # without it). setsid: the service outlives the shell that started it and a Ctrl-C in that terminal.
    setsid "$azurite_bin" --blobHost "$azurite_host" --blobPort "$azurite_blob_port" \
      --location "$azurite_data" --skipApiVersionCheck --disableTelemetry \
      </dev/null >"$log_dir/azurite.log" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$azurite_pid_file"
  fi
  local waited=0
  until azurite_answers; do
    if ! pid_alive "$pid"; then
      rm -f "$azurite_pid_file"
      tail_log "$log_dir/azurite.log"
      die "azurite: exited before it answered on $azurite_host:$azurite_blob_port"
    fi
    if ((waited >= azurite_start_timeout)); then
      tail_log "$log_dir/azurite.log"
      die "azurite: no answer on $azurite_host:$azurite_blob_port within ${azurite_start_timeout}s (pid $pid left running; '$0 stop azurite' stops it)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "azurite: running on $azurite_host:$azurite_blob_port (pid $pid, ${waited}s)"
}

stop_azurite() {
  local pid
  if [[ ! -f $azurite_pid_file ]]; then
    if azurite_answers; then
      say "azurite: not started by this script: leaving it running"
    else
      say "azurite: not running"
    fi
    return 0
  fi
  pid=$(azurite_our_pid)
  if [[ -z $pid ]]; then
    say "azurite: the process this script started is gone (stale pid file removed)"
  else
    say "azurite: stopping (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while pid_alive "$pid" && ((waited < 15)); do
      sleep 1
      waited=$((waited + 1))
    done
    if pid_alive "$pid"; then
      warn "azurite: pid $pid still running after 15s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "azurite: stopped"
  fi
  rm -f "$azurite_pid_file"
}

status_azurite() {
  local pid who
  pid=$(azurite_our_pid)
  if [[ -n $pid ]]; then who="started by local-stack, pid $pid"; else who="not started by this script"; fi
  if azurite_answers; then
    say "azurite: up on $azurite_host:$azurite_blob_port ($who)"
  else
    say "azurite: down"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------- commands

# One start or stop at a time on this machine (worktrees share the services): two concurrent starts would
# both see nothing running and start two brokers.
take_lock() {
  local lock_file=/tmp/scipix-local-stack.lock
  exec 9>>"$lock_file"
  if ! flock -n 9; then
    say "waiting for another local-stack start/stop to finish ($lock_file)"
    flock -w 300 9 || die "another local-stack start/stop still holds $lock_file after 300s"
  fi
}

# Single-quotes a value for the shell.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

print_env() {
  local connection="DefaultEndpointsProtocol=http;AccountName=$azurite_account;AccountKey=$azurite_key;"
  connection+="BlobEndpoint=http://$azurite_host:$azurite_blob_port/$azurite_account;"
  printf 'export RabbitMq__Host=%s\n' "$(quote "$rabbitmq_host")"
  printf 'export RabbitMq__Port=%s\n' "$(quote "$rabbitmq_port")"
  printf 'export RabbitMq__Username=%s\n' "$(quote "$rabbitmq_user")"
  printf 'export RabbitMq__Password=%s\n' "$(quote "$rabbitmq_password")"
  printf 'export RabbitMq__ManagementPort=%s\n' "$(quote "$rabbitmq_management_port")"
  printf 'export BlobStorage__ConnectionString=%s\n' "$(quote "$connection")"
}

jemalloc_path() {
  local candidate
  for candidate in /usr/lib/*-linux-gnu/libjemalloc.so.2 /usr/lib64/libjemalloc.so.2; do
    if [[ -f $candidate ]]; then
      printf '%s\n' "$candidate"
      return
    fi
  done
}

# The worker's native memory (ONNX Runtime's activations) peaks at about half with jemalloc (docs/benchmarks.md).
# Optional: the worker runs on glibc's malloc without it, so a failed install only warns.
ensure_jemalloc() {
  local path
  path=$(jemalloc_path)
  if [[ -z $path ]]; then
    (apt_install libjemalloc2) >&2 || true
    path=$(jemalloc_path)
    [[ -n $path ]] || warn "libjemalloc2 is not installed: the worker uses glibc's malloc (more memory; docs/operations.md)"
  fi
  [[ -z $path ]] || printf '%s\n' "$path"
}

# The shared libraries the worker loads for JBIG2 and JPEG 2000 images (src/ScipixWorker.Ocr/Imaging/Jbig2Codec.cs,
# Jpeg2000Codec.cs), as the container image installs them. Optional for the worker (such images fail with
# unsupported-format without them), so a failed install only warns.
library_present() {
  ldconfig -p 2>/dev/null | grep -q -F "$1" || compgen -G "/usr/lib/*-linux-gnu/$1" >/dev/null
}

ensure_codecs() {
  local missing=()
  library_present libjbig2dec.so.0 || missing+=(libjbig2dec0)
  library_present libopenjp2.so.7 || missing+=(libopenjp2-7)
  if [[ ${#missing[@]} -gt 0 ]]; then
    (apt_install "${missing[@]}") >&2 || warn "could not install ${missing[*]}: JBIG2 and JPEG 2000 images fail with unsupported-format"
  fi
}

# promtool checks and unit-tests infra/prometheus's alerting rules. Debian has it only in the prometheus package, whose
# install also starts a Prometheus server: the package is downloaded and unpacked into .local instead (about 19 MB),
# which needs no root once the package lists know it. Optional: the worker does not need it.
ensure_promtool() {
  local path
  path=$(command -v promtool || true)
  if [[ -z $path && -x $promtool_dir/usr/bin/promtool ]]; then
    path=$promtool_dir/usr/bin/promtool
  fi
  if [[ -z $path ]] && command -v apt-get >/dev/null; then
    local log="$log_dir/apt.out" download="$promtool_dir/download"
    mkdir -p "$log_dir" "$download"
    if ! apt_knows prometheus && { [[ ${#as_root[@]} -eq 0 ]] || command -v sudo >/dev/null; }; then
      "${as_root[@]}" apt-get update -qq >>"$log" 2>&1 || true
    fi
    say "apt-get download prometheus, for its promtool (log: .local/logs/apt.out)" >&2
    if (cd "$download" && apt-get download prometheus) >>"$log" 2>&1 \
      && dpkg-deb -x "$download"/prometheus_*.deb "$promtool_dir" >>"$log" 2>&1; then
      path=$promtool_dir/usr/bin/promtool
    fi
    rm -rf "$download"
  fi
  if [[ -n $path ]]; then
    printf '%s\n' "$path"
  else
    warn "promtool is not available: the alerting rules (infra/prometheus) are not checked"
  fi
}

main() {
  [[ $# -ge 1 ]] || usage
  local command=$1
  shift
  local services=("$@")
  [[ ${#services[@]} -gt 0 ]] || services=("${all_services[@]}")
  local service
  for service in "${services[@]}"; do
    [[ $service == rabbitmq || $service == azurite ]] || { warn "unknown service '$service'"; usage; }
  done

  case $command in
    start)
      mkdir -p "$local_dir"
      take_lock
      for service in "${services[@]}"; do "start_$service"; done
      ;;
    stop)
      mkdir -p "$local_dir"
      take_lock
      for service in "${services[@]}"; do "stop_$service"; done
      ;;
    status)
      local down=0
      for service in "${services[@]}"; do "status_$service" || down=1; done
      return $((down * 3))
      ;;
    env)
      [[ $# -eq 0 ]] || usage
      print_env
      ;;
    jemalloc)
      [[ $# -eq 0 ]] || usage
      ensure_jemalloc
      ;;
    codecs)
      [[ $# -eq 0 ]] || usage
      ensure_codecs
      ;;
    promtool)
      [[ $# -eq 0 ]] || usage
      ensure_promtool
      ;;
    -h | --help | help) usage ;;
    *)
      warn "unknown command '$command'"
      usage
      ;;
  esac
}

main "$@"
