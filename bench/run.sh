#!/usr/bin/env bash
# vaultx-pool benchmarks: the full run. See BENCHMARKS.md for what each number means.
#
#   bench/run.sh [options]
#
#   --quick               short smoke of everything: 1 repetition, 2 s warm-up + 3 s measured, C=64 only,
#                         short failover and JMH (about 4 minutes)
#   --only LIST           comma-separated scenarios: throughput,tls,cli,profile,failover,scale,jmh (default: all but profile)
#                         tls: pool (defaults), pool-sized and raw over HTTPS (a test CA made with openssl; no session
#                         resumption, so every new connection is a full handshake); cli: the product's own `load`
#                         command against the bench's pool and raw clients on one node, all measured from outside the
#                         JVM (CPU from /proc/PID/stat, requests and connections from nginx's stub_status)
#   --reps N              repetitions per client and concurrency (default 5)
#   --warmup S            warm-up seconds per run, discarded (default 5)
#   --duration S          measured seconds per run (default 10)
#   --concurrency "LIST"  requests in flight (default "16 64 256")
#   --clients "LIST"      from: pool pool-sized raw jdk jetty okhttp wrk (default: all seven, interleaved in this order;
#                         pool runs at the defaults, pool-sized with size = concurrency and no overflow)
#   --strategy S          the pool's balancing strategy in the throughput runs (default ROUND_ROBIN)
#   --io-threads N        I/O threads of pool and raw client (default 1, the best on 2 cores: PERF-FACTS §6)
#   --java DIR            JAVA_HOME of the JVM under test (default: the one on PATH)
#   --out DIR             where results go (default bench/target/results-<timestamp>)
#   --no-build            use the classpath of the previous build (bench/target/bench-lib)
#   --failover-runs "L"   failover runs, from STRATEGY, STRATEGY:short (2 s timeouts), ROUND_ROBIN:second (the
#                         JVM's second failover; one runs unmeasured in the warm-up) (default: all five)
#
# BENCH_JAVA_OPTS (environment): extra JVM options for every Java client, e.g. -XX:+UseG1GC.
#
# What it does: installs nginx and wrk from Debian packages if missing; builds the bench module; writes an
# nginx config into a temp dir (127.0.0.1 only, three server blocks standing in for three Vault nodes: the
# health endpoint answers as the active node (200) or a standby (429) with Vault's JSON body, and
# /v1/secret/data/app returns a ~400-byte KV v2 body); runs the scenarios, each client in a fresh JVM;
# stops every nginx it started; writes results (TSV, summary.md, PNGs, JMH JSON) to the output dir.
# Traffic goes to 127.0.0.1 only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

QUICK=0; ONLY="throughput,tls,cli,failover,scale,jmh"; REPS=5; WARMUP=5; DURATION=10; CONCS="16 64 256"
CLIENTS="pool pool-sized raw jdk jetty okhttp wrk"; STRATEGY=ROUND_ROBIN; IOTHREADS=1; JAVA_DIR=""; OUT=""; BUILD=1
FO_DURATION=25; FO_KILL=5; FO_BACK=15; JMH_ARGS="-f 1 -wi 3 -w 1s -i 5 -r 1s"
FO_RUNS="VAULT_AWARE ROUND_ROBIN VAULT_AWARE:short ROUND_ROBIN:short ROUND_ROBIN:second"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; REPS=1; WARMUP=2; DURATION=3; CONCS="64"; FO_DURATION=12; FO_KILL=3; FO_BACK=7
             JMH_ARGS="-f 1 -wi 1 -w 1s -i 2 -r 1s";;
    --only) ONLY="$2"; shift;;
    --reps) REPS="$2"; shift;;
    --warmup) WARMUP="$2"; shift;;
    --duration) DURATION="$2"; shift;;
    --concurrency) CONCS="$2"; shift;;
    --clients) CLIENTS="$2"; shift;;
    --strategy) STRATEGY="$2"; shift;;
    --io-threads) IOTHREADS="$2"; shift;;
    --java) JAVA_DIR="$2"; shift;;
    --out) OUT="$2"; shift;;
    --no-build) BUILD=0;;
    --failover-runs) FO_RUNS="$2"; shift;;
    -h|--help) sed -n '2,30p' "$0"; exit 0;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2;;
  esac
  shift
done
has() { case ",$ONLY," in *",$1,"*) return 0;; *) return 1;; esac; }

JAVA=java; JFR=jfr
if [ -n "$JAVA_DIR" ]; then JAVA="$JAVA_DIR/bin/java"; JFR="$JAVA_DIR/bin/jfr"; fi
OUT="${OUT:-$HERE/target/results-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }

# ---------------------------------------------------------------- tools
install_pkg() { # $1 = command, $2.. = Debian package names to try in turn
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  log "installing $* from Debian packages"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
  for p in "$@"; do
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >>"$OUT/apt.log" 2>&1; then break; fi
  done
  command -v "$cmd" >/dev/null 2>&1 || { echo "could not install $cmd" >&2; exit 1; }
  # a package's own service (0.0.0.0:80 by default) is not what we measure: stop it if it started
  if [ "$cmd" = nginx ] && [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
    nginx -s quit || true
  fi
}
install_pkg nginx nginx-light nginx
install_pkg wrk wrk
install_pkg python3 python3-minimal   # parses wrk's output
install_pkg curl curl                 # reads nginx's stub_status (connections accepted, requests served)
install_pkg openssl openssl           # makes the test CA and the nodes' certificate for the HTTPS runs

# ---------------------------------------------------------------- build
LIB="$HERE/target/bench-lib"
if [ "$BUILD" = 1 ]; then
  log "building bench (mvn -pl bench -am package -DskipTests)"
  # other engineers may be mid-change in impl: retry a failed reactor build for up to 10 minutes, then fall back to
  # the impl last installed in ~/.m2 (mvn install) if there is one; code-version.txt records which was used
  built=""
  for attempt in 1 2 3 4 5 6 7 8 9 10 11; do
    if (cd "$ROOT" && mvn -q -B -pl bench -am package -DskipTests \
         dependency:build-classpath -Dmdep.outputFile="$HERE/target/classpath.txt" -Dmdep.includeScope=runtime) >>"$OUT/build.log" 2>&1; then
      built="reactor"; break
    fi
    [ "$attempt" = 11 ] && break
    log "build failed (attempt $attempt, see build.log); retrying in 60 s"
    sleep 60
  done
  if [ -z "$built" ]; then
    (cd "$ROOT" && mvn -q -B -pl bench package -DskipTests \
       dependency:build-classpath -Dmdep.outputFile="$HERE/target/classpath.txt" -Dmdep.includeScope=runtime) >>"$OUT/build.log" 2>&1 \
       || { echo "build failed, see $OUT/build.log" >&2; exit 1; }
    built="~/.m2 (impl as last installed)"
  fi
  log "built against impl from: $built"
  # a private copy: other builds may rewrite impl/target while the benchmarks run
  rm -rf "$LIB"; mkdir -p "$LIB"
  tr ':' '\n' < "$HERE/target/classpath.txt" | while read -r j; do
    [ -z "$j" ] && continue
    if [ -d "$j" ]; then n="$(basename "$(dirname "$(dirname "$j")")")-classes"; cp -r "$j" "$LIB/$n"; else cp "$j" "$LIB/"; fi
  done
  cp -r "$HERE/target/classes" "$LIB/bench-classes"
  if has cli; then
    log "building the cli jar (mvn -pl cli -am package -DskipTests)"
    (cd "$ROOT" && mvn -q -B -pl cli -am package -DskipTests) >>"$OUT/build.log" 2>&1 || { echo "cli build failed" >&2; exit 1; }
    cp "$ROOT/cli/target/vaultx-pool.jar" "$LIB/../vaultx-pool-cli.jar"
  fi
fi
CP="$LIB/bench-classes"
for e in "$LIB"/*; do [ "$e" = "$LIB/bench-classes" ] || CP="$CP:$e"; done
{ # the code measured: the commit, uncommitted changes in api/impl, and the jar actually on the classpath
  (cd "$ROOT" && echo "commit $(git rev-parse --short HEAD 2>/dev/null)" && git diff --stat -- api impl 2>/dev/null | tail -30 \
     && git status --porcelain -- api impl 2>/dev/null | grep '^??' | head -20) || true
  sha1sum "$LIB"/vaultx-pool-*.jar 2>/dev/null || true
} > "$OUT/code-version.txt"

# ---------------------------------------------------------------- machine
{
  echo "date: $(date -Is)"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "memory: $(free -h | awk '/^Mem:/{print $2}')"
  echo "java: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "nginx: $(nginx -v 2>&1)"
  echo "wrk: $(wrk --version 2>&1 | head -1)"
  echo "uptime before: $(uptime)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" | tee -a "$OUT/run.log"

# ---------------------------------------------------------------- nginx
WORK="$(mktemp -d /tmp/vaultx-bench.XXXXXX)"
chmod 755 "$WORK"
NGINX_PIDS=()
cleanup() {
  for pid in "${NGINX_PIDS[@]}"; do kill -9 -- "-$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

HEALTH_ACTIVE='{"initialized":true,"sealed":false,"standby":false,"performance_standby":false,"replication_performance_mode":"disabled","replication_dr_mode":"disabled","server_time_utc":1714564800,"version":"1.17.2","enterprise":false,"cluster_name":"vault-cluster-bench","cluster_id":"2f0b1a8e-6c3d-4e7f-9a1b-5c8d7e6f4a3b","echo_duration_ms":0,"clock_skew_ms":0}'
HEALTH_STANDBY="${HEALTH_ACTIVE/\"standby\":false/\"standby\":true}"
KV_BODY='{"request_id":"5f0a2c7e-1b1d-4c1e-9a57-3f2d8e1c6b4a","lease_id":"","renewable":false,"lease_duration":0,"data":{"data":{"password":"s3cr3t-p4ssw0rd-for-the-bench","username":"app"},"metadata":{"created_time":"2024-05-01T12:00:00.000000Z","custom_metadata":null,"deletion_time":"","destroyed":false,"version":3}},"wrap_info":null,"warnings":null,"auth":null,"mount_type":"kv"}'
PORT=(0 18201 18202 18203)
NODES="http://127.0.0.1:${PORT[1]},http://127.0.0.1:${PORT[2]},http://127.0.0.1:${PORT[3]}"
TLS_PORT=(0 18221 18222 18223)
TLS_NODES="https://127.0.0.1:${TLS_PORT[1]},https://127.0.0.1:${TLS_PORT[2]},https://127.0.0.1:${TLS_PORT[3]}"

# node i's role: active iff $WORK/node$i/active.json exists (nginx checks on every probe, so a role can change live)
set_role() { # $1 = node, $2 = active|standby
  mkdir -p "$WORK/node$1"
  printf '%s' "$HEALTH_STANDBY" > "$WORK/node$1/standby.json"
  if [ "$2" = active ]; then printf '%s' "$HEALTH_ACTIVE" > "$WORK/node$1/.a.tmp" && mv "$WORK/node$1/.a.tmp" "$WORK/node$1/active.json"
  else rm -f "$WORK/node$1/active.json"; fi
  chmod -R a+rX "$WORK/node$1"
}

server_block() { # $1 = node, $2 = "tls" for HTTPS on TLS_PORT[$1] with the test CA's certificate
  local listen="listen 127.0.0.1:${PORT[$1]} backlog=4096;"
  if [ "${2:-}" = tls ]; then
    listen="listen 127.0.0.1:${TLS_PORT[$1]} ssl backlog=4096;
    ssl_certificate $WORK/tls/node.crt;
    ssl_certificate_key $WORK/tls/node.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;"
  fi
  cat <<EOF
  server {
    $listen
    root $WORK/node$1;
    # the pool's probe sends ?...standbycode=299...: the active node answers 200, a standby 429 (a default
    # code the pool understands), each with Vault's JSON body
    location = /v1/sys/health { try_files /active.json =429; }
    error_page 429 /standby.json;
    location = /standby.json { internal; }
    location = /v1/secret/data/app { add_header Cache-Control no-store; return 200 '$KV_BODY'; }
    location / { return 404 '{"errors":[]}'; }
  }
EOF
}

STATUS_PORT=18200
STATUS_URL="http://127.0.0.1:$STATUS_PORT/status"

write_conf() { # $1 = instance name, $2.. = nodes it serves; the instance "all" also serves nginx's stub_status
  local name="$1"; shift
  mkdir -p "$WORK/tmp-$name"
  {
    cat <<EOF
worker_processes 1;
daemon off;
master_process on;
pid $WORK/nginx-$name.pid;
error_log $WORK/nginx-$name.error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 16384; }
http {
  access_log off;
  server_tokens off;
  default_type application/json;
  keepalive_requests 100000000;
  keepalive_timeout 600s;
  client_body_temp_path $WORK/tmp-$name/body;
  proxy_temp_path $WORK/tmp-$name/proxy;
  fastcgi_temp_path $WORK/tmp-$name/fastcgi;
  uwsgi_temp_path $WORK/tmp-$name/uwsgi;
  scgi_temp_path $WORK/tmp-$name/scgi;
EOF
    for n in "$@"; do server_block "$n" "$([ "$name" = tls ] && echo tls)"; done
    # connections accepted and requests served, counted by the servers: read before and after each measured window
    if [ "$name" = all ] || [ "$name" = tls ]; then
      echo "  server { listen 127.0.0.1:$STATUS_PORT; location = /status { stub_status; } }"
    fi
    echo "}"
  } > "$WORK/nginx-$name.conf"
}

wait_port() { # $1 = port; up to 5 s
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nginx did not listen on 127.0.0.1:$1" >&2; return 1
}

start_nginx() { # $1 = instance name, $2 = first port to wait for; its own session, so kill -9 -PGID ends master and worker
  setsid nginx -p "$WORK" -c "$WORK/nginx-$1.conf" -e "$WORK/nginx-$1.error.log" </dev/null >>"$WORK/nginx-$1.out" 2>&1 &
  local pid=$!
  disown "$pid" 2>/dev/null || true
  NGINX_PIDS+=("$pid")
  echo "$pid" > "$WORK/nginx-$1.pgid"
  wait_port "$2"
}

stop_nginx() { # $1 = instance name
  local pid; pid="$(cat "$WORK/nginx-$1.pgid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -9 -- "-$pid" 2>/dev/null || true
  sleep 0.2
}

for i in 1 2 3; do set_role "$i" standby; done
set_role 1 active

jrun() { # $@ = java args after the classpath
  "$JAVA" -Xms512m -Xmx1g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} -cp "$CP" "$@"
}

# ---------------------------------------------------------------- 1. throughput and CPU
if has throughput || has profile || has cli; then
  write_conf all 1 2 3
  start_nginx all "${PORT[1]}"
  for i in 1 2 3; do wait_port "${PORT[$i]}"; done
fi

accepts() { # connections the stand-in nodes accepted so far (stub_status), or -1
  curl -s --max-time 2 "$STATUS_URL" 2>/dev/null | awk '/accepts handled requests/ {getline; print $1; found=1} END {if (!found) print -1}'
}
served() { # requests the stand-in nodes served so far (stub_status), or -1
  curl -s --max-time 2 "$STATUS_URL" 2>/dev/null | awk '/accepts handled requests/ {getline; print $3; found=1} END {if (!found) print -1}'
}

run_wrk() { # $1 = concurrency, $2 = rep; appends a result line to throughput.tsv
  local c="$1" rep="$2" url="http://127.0.0.1:${PORT[1]}/v1/secret/data/app"
  wrk -t1 -c"$c" -d"${WARMUP}s" -H "X-Vault-Token: dummy-warmup" "$url" >/dev/null 2>&1 || true
  local acc0 acc1; acc0="$(accepts)"
  local txt; txt="$(bash -c "wrk -t1 -c$c -d${DURATION}s --latency -H 'X-Vault-Request: true' -H 'X-Vault-Token: hvs.CAESIJlU9-bench-token-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS' '$url'; times" 2>&1)"
  acc1="$(accepts)"
  echo "$txt" > "$OUT/wrk-c$c-r$rep.txt"
  ACC0="$acc0" ACC1="$acc1" WRK_TXT="$txt" C="$c" REP="$rep" DUR="$DURATION" LOAD="$(cut -d' ' -f1 /proc/loadavg)" python3 - >> "$OUT/throughput.tsv" <<'PY'
import os, re
t = os.environ["WRK_TXT"]
def lat(p):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, t, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v * {"us": 1, "ms": 1e3, "s": 1e6}[u]
req = int(re.search(r"(\d+) requests in", t).group(1))
secs = float(re.search(r"requests in ([\d.]+)(m?s)", t).group(1))
if re.search(r"requests in [\d.]+ms", t): secs /= 1000
errs = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", t))
non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", t) or [0, 0])[1])
# `times`: second line = children's user and system time
lines = [l for l in t.strip().splitlines() if re.match(r"^\d+m[\d.]+s \d+m[\d.]+s$", l)]
def sec(s):
    m, r = s.split("m"); return int(m) * 60 + float(r.rstrip("s"))
u, s = lines[-1].split()
cpu = (sec(u) + sec(s)) * 1e6 / max(req, 1)
rps = req / secs
a0, a1 = int(os.environ["ACC0"] or -1), int(os.environ["ACC1"] or -1)
conns = "nan" if a0 < 0 or a1 < 0 else "%.2f" % (max(0, a1 - a0 - 1) * 1000.0 / max(req, 1))
print("\t".join(["wrk", "-", os.environ["C"], os.environ["REP"], "%.2f" % secs, str(req), str(errs), str(non2xx), "%.2f" % rps,
                 "%.2f" % lat(50), "%.2f" % lat(90), "%.2f" % lat(99), "nan", "%.2f" % cpu, "nan", "0", os.environ["LOAD"], conns]))
PY
  tail -1 "$OUT/throughput.tsv" | tee -a "$OUT/run.log"
}

if has throughput; then
  log "throughput: clients [$CLIENTS], concurrency [$CONCS], $REPS reps, ${WARMUP}s warm-up + ${DURATION}s, pool strategy $STRATEGY, io threads $IOTHREADS"
  log "load before: $(cat /proc/loadavg)"
  [ -s "$OUT/throughput.tsv" ] || printf 'client\tjava\tconcurrency\trep\tseconds\trequests\terrors\tnon2xx\treq_per_s\tp50_us\tp90_us\tp99_us\tp999_us\tcpu_us_per_req\talloc_bytes_per_req\tgc_count\tloadavg_end\tconns_per_1k\n' > "$OUT/throughput.tsv"
  for c in $CONCS; do
    for rep in $(seq 1 "$REPS"); do
      for client in $CLIENTS; do
        if [ "$client" = wrk ]; then run_wrk "$c" "$rep"; continue; fi
        jrun dev.vaultx.pool.bench.LoadMain --client "$client" --concurrency "$c" --rep "$rep" --warmup "$WARMUP" \
          --duration "$DURATION" --nodes "$NODES" --io-threads "$IOTHREADS" --strategy "$STRATEGY" --out "$OUT/throughput.tsv" \
          --status-url "$STATUS_URL" \
          > "$OUT/load-$client-c$c-r$rep.txt" 2>&1 || log "run $client c=$c rep=$rep failed (see load-$client-c$c-r$rep.txt)"
        tail -n +2 "$OUT/load-$client-c$c-r$rep.txt" | head -2 | tee -a "$OUT/run.log"
      done
    done
  done
  log "load after: $(cat /proc/loadavg)"
  jrun dev.vaultx.pool.bench.Summarize "$OUT/throughput.tsv" > "$OUT/summary.md"
  cat "$OUT/summary.md"
fi

# ---------------------------------------------------------------- profile (JFR) at C=64
# three recordings of the measured window only (LoadMain stops the recording before close()):
#   pool          the pool as configured in the throughput runs (its default timeouts)
#   pool-short    the same with requestTimeout = attemptTimeout = 2 s, which bounds how long cancelled timer tasks
#                 stay queued, so the rest of the hot path shows
#   raw           the raw HttpAsyncClient 5 baseline
# Java methods sampled every 1 ms (a copy of the JDK's profile.jfc with a shorter period).
# Environment: PROFILE_VARIANTS (default "pool pool-short raw", any client name), PROFILE_NODES (default the three
# nodes), PROFILE_C (default 64 in flight).
if has profile; then
  JFC="$WORK/profile-1ms.jfc"
  sed -e '/name="jdk.ExecutionSample"/,/<\/event>/s|<setting name="period"\([^>]*\)>[^<]*<|<setting name="period"\1>1 ms<|' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")/lib/jfr/profile.jfc" > "$JFC"
  for variant in ${PROFILE_VARIANTS:-pool pool-short raw}; do
    client="${variant%-short}"; extra=()
    [ "$variant" = pool-short ] && extra=(--pool-request-timeout 2 --pool-attempt-timeout 2)
    log "profiling $variant at C=${PROFILE_C:-64} (JFR)"
    jrun -XX:StartFlightRecording=filename="$OUT/$variant.jfr",settings="$JFC",delay="${WARMUP}s" \
      dev.vaultx.pool.bench.LoadMain --client "$client" --concurrency ${PROFILE_C:-64} --warmup "$WARMUP" --duration "$DURATION" \
      --nodes "${PROFILE_NODES:-$NODES}" --io-threads "$IOTHREADS" --strategy "$STRATEGY" "${extra[@]}" > "$OUT/profile-$variant.txt" 2>&1
    jrun dev.vaultx.pool.bench.JfrTop "$OUT/$variant.jfr" > "$OUT/profile-$variant-top.txt" 2>&1 || true
    "$JFR" summary "$OUT/$variant.jfr" > "$OUT/profile-$variant-summary.txt" 2>&1 || true
    grep -v '^\[' "$OUT/profile-$variant.txt" | head -3 | tee -a "$OUT/run.log"
  done
fi
# ---------------------------------------------------------------- 1b. the product's own `load` command, measured from outside
# raw HttpAsyncClient 5, the bench's pool client and `vaultx-pool load`, each at its defaults (I/O threads included: the
# core count), on one node, C in flight. Every number comes from outside the JVM: CPU from /proc/PID/stat over the
# window [WARMUP, WARMUP + DURATION] after the JVM started, requests and connections from nginx's stub_status.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo -1; }

ext_run() { # $1 = label, $2 = concurrency, $3 = rep, $4.. = the command (a java process, so its PID is the JVM's)
  local label="$1" c="$2" rep="$3"; shift 3
  "$@" > "$OUT/ext-$label-c$c-r$rep.txt" 2>&1 &
  local pid=$!
  sleep "$WARMUP"
  local r0 a0 k0 t0 r1 a1 k1 t1
  k0="$(ticks "$pid")"; t0="$(date +%s.%N)"; r0="$(served)"; a0="$(accepts)"
  sleep "$DURATION"
  k1="$(ticks "$pid")"; t1="$(date +%s.%N)"; r1="$(served)"; a1="$(accepts)"
  wait "$pid" || log "$label c=$c rep=$rep exited non-zero (see ext-$label-c$c-r$rep.txt)"
  L="$label" C="$c" REP="$rep" K0="$k0" K1="$k1" T0="$t0" T1="$t1" R0="$r0" R1="$r1" A0="$a0" A1="$a1" HZ="$(getconf CLK_TCK)" \
    python3 - >> "$OUT/cli.tsv" <<'PY2'
import os
e = os.environ
secs = float(e["T1"]) - float(e["T0"])
req = int(e["R1"]) - int(e["R0"]) - 1          # the status read itself
conns = max(0, int(e["A1"]) - int(e["A0"]) - 1)
cpu_us = (int(e["K1"]) - int(e["K0"])) * 1e6 / int(e["HZ"])
print("\t".join([e["L"], e["C"], e["REP"], "%.2f" % secs, str(req), "%.0f" % (req / secs), "%.2f" % (cpu_us / max(req, 1)),
                 "%.2f" % (conns * 1000.0 / max(req, 1))]))
PY2
  tail -1 "$OUT/cli.tsv" | tee -a "$OUT/run.log"
}

if has cli; then
  ONE="http://127.0.0.1:${PORT[1]}"
  CLI_JAR="$LIB/../vaultx-pool-cli.jar"
  CLI_CONCS="${CLI_CONCS:-64}"
  log "cli: raw, bench pool client and 'vaultx-pool load' at their defaults, one node, C in [$CLI_CONCS], $REPS reps, measured from outside"
  [ -s "$OUT/cli.tsv" ] || printf 'client\tconcurrency\trep\tseconds\trequests\treq_per_s\tcpu_us_per_req\tconns_per_1k\n' > "$OUT/cli.tsv"
  JOPTS=(-Xms512m -Xmx1g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-})
  for c in $CLI_CONCS; do
    for rep in $(seq 1 "$REPS"); do
      ext_run raw "$c" "$rep" "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.vaultx.pool.bench.LoadMain --client raw --concurrency "$c" \
        --warmup "$WARMUP" --duration "$((DURATION + 3))" --nodes "$ONE"
      ext_run raw-15 "$c" "$rep" "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.vaultx.pool.bench.LoadMain --client raw-15 --concurrency "$c" \
        --warmup "$WARMUP" --duration "$((DURATION + 3))" --nodes "$ONE"
      ext_run pool "$c" "$rep" "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.vaultx.pool.bench.LoadMain --client pool --concurrency "$c" \
        --warmup "$WARMUP" --duration "$((DURATION + 3))" --nodes "$ONE"
      VAULT_TOKEN=hvs.bench-token-not-a-secret ext_run load "$c" "$rep" "$JAVA" "${JOPTS[@]}" -jar "$CLI_JAR" load --nodes "$ONE" \
        --path /v1/secret/data/app --concurrency "$c" --duration "$((WARMUP + DURATION + 3))s" --quiet --json
    done
  done
  python3 - "$OUT/cli.tsv" > "$OUT/cli-summary.md" <<'PY2'
import sys, statistics as st, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
by = collections.defaultdict(list)
for r in rows:
    by[(int(r[1]), r[0])].append(r)
print("| in flight | client | runs | req/s median | CPU µs/req median (min) | connections opened per 1,000 requests |")
print("|---:|---|---:|---:|---:|---:|")
for (c, client), l in sorted(by.items()):
    rps = [float(r[5]) for r in l]; cpu = [float(r[6]) for r in l]; cn = [float(r[7]) for r in l]
    print("| %d | %s | %d | %.0f | %.2f (%.2f) | %.2f |" % (c, client, len(l), st.median(rps), st.median(cpu), min(cpu), st.median(cn)))
print()
for c in sorted({k[0] for k in by}):
    raw = {r[2]: r for r in by.get((c, "raw"), [])}
    for client in ("raw-15", "pool", "load"):
        pairs = [(float(r[5]) / float(raw[r[2]][5]), float(r[6]) - float(raw[r[2]][6])) for r in by.get((c, client), []) if r[2] in raw]
        if pairs:
            ratio = st.median(p[0] for p in pairs); dcpu = st.median(p[1] for p in pairs)
            print("- C=%d, %s vs raw (same repetition): %.2fx req/s (target >= 0.9), %+.2f us CPU per request (target <= +3): %s"
                  % (c, client, ratio, dcpu, "met" if ratio >= 0.9 and dcpu <= 3 else "NOT met"))
PY2
  cat "$OUT/cli-summary.md" | tee -a "$OUT/run.log"
fi
if has throughput || has profile || has cli; then stop_nginx all; fi

# ---------------------------------------------------------------- 1c. throughput over TLS
# the same closed loops over HTTPS: a test CA and one certificate for 127.0.0.1 made with openssl, TLS 1.2/1.3, no
# session cache or tickets on the server, so a new connection is a full handshake on both sides (what churn costs)
if has tls; then
  mkdir -p "$WORK/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=vaultx-bench-ca" -keyout "$WORK/tls/ca.key" \
    -out "$WORK/tls/ca.crt" >>"$OUT/tls.log" 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$WORK/tls/node.key" -out "$WORK/tls/node.csr" >>"$OUT/tls.log" 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$WORK/tls/ext.cnf"
  openssl x509 -req -in "$WORK/tls/node.csr" -CA "$WORK/tls/ca.crt" -CAkey "$WORK/tls/ca.key" -CAcreateserial -days 2 \
    -extfile "$WORK/tls/ext.cnf" -out "$WORK/tls/node.crt" >>"$OUT/tls.log" 2>&1
  chmod -R a+rX "$WORK/tls"
  write_conf tls 1 2 3
  start_nginx tls "${TLS_PORT[1]}"
  for i in 1 2 3; do wait_port "${TLS_PORT[$i]}"; done
  TLS_CLIENTS="${TLS_CLIENTS:-pool pool-sized raw}"
  log "tls: clients [$TLS_CLIENTS], concurrency [$CONCS], $REPS reps, ${WARMUP}s warm-up + ${DURATION}s, HTTPS"
  for c in $CONCS; do
    for rep in $(seq 1 "$REPS"); do
      for client in $TLS_CLIENTS; do
        jrun dev.vaultx.pool.bench.LoadMain --client "$client" --concurrency "$c" --rep "$rep" --warmup "$WARMUP" \
          --duration "$DURATION" --nodes "$TLS_NODES" --io-threads "$IOTHREADS" --strategy "$STRATEGY" --out "$OUT/tls.tsv" \
          --status-url "$STATUS_URL" --ca-file "$WORK/tls/ca.crt" \
          > "$OUT/tls-$client-c$c-r$rep.txt" 2>&1 || log "tls run $client c=$c rep=$rep failed (see tls-$client-c$c-r$rep.txt)"
        tail -n +2 "$OUT/tls-$client-c$c-r$rep.txt" | head -2 | tee -a "$OUT/run.log"
      done
    done
  done
  jrun dev.vaultx.pool.bench.Summarize "$OUT/tls.tsv" > "$OUT/tls-summary.md"
  cat "$OUT/tls-summary.md"
  stop_nginx tls
fi

# ---------------------------------------------------------------- 2. failover timeline
if has failover; then
  # one nginx per node, so that one can be killed (kill -9 of its process group: master and worker)
  for i in 1 2 3; do write_conf "node$i" "$i"; done
  # each strategy twice: with the pool's default timeouts, and with requestTimeout = attemptTimeout = 2 s, which bounds
  # how long cancelled timer tasks stay queued (BENCHMARKS.md, hot spot 1) so that GC pauses do not mask the failover
  for run in $FO_RUNS; do
    scenario="${run%%:*}"; tmo=(); suffix=""; title=""
    case "$run" in
      *:short) tmo=(--pool-request-timeout 2 --pool-attempt-timeout 2); suffix="-short-timeouts"; title=", timeouts 2 s";;
      # the measured failover is the JVM's second: one ran, unmeasured, during a 10 s warm-up (JIT already compiled)
      *:second) tmo=(--warmup 10 --warmup-failover true); suffix="-second-failover"; title=", second failover in the JVM";;
    esac
    for i in 1 2 3; do set_role "$i" standby; done
    set_role 1 active
    for i in 1 2 3; do start_nginx "node$i" "${PORT[$i]}"; done
    cat > "$WORK/kill.sh" <<EOF
#!/usr/bin/env bash
kill -9 -- -\$(cat "$WORK/nginx-node1.pgid")
$( [ "$scenario" = VAULT_AWARE ] && echo "# the election: a standby takes over; node 1 will come back as a standby" )
$( [ "$scenario" = VAULT_AWARE ] && echo "printf '%s' '$HEALTH_ACTIVE' > '$WORK/node2/.a.tmp' && mv '$WORK/node2/.a.tmp' '$WORK/node2/active.json' && chmod a+r '$WORK/node2/active.json' && rm -f '$WORK/node1/active.json'" )
EOF
    cat > "$WORK/restore.sh" <<EOF
#!/usr/bin/env bash
setsid nginx -p "$WORK" -c "$WORK/nginx-node1.conf" -e "$WORK/nginx-node1.error.log" </dev/null >>"$WORK/nginx-node1.out" 2>&1 &
echo \$! > "$WORK/nginx-node1.pgid"
echo \$! >> "$WORK/restored-pids"
for _ in \$(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/${PORT[1]}) 2>/dev/null && exit 0; sleep 0.02; done
exit 1
EOF
    chmod +x "$WORK/kill.sh" "$WORK/restore.sh"
    name="$(echo "$scenario" | tr 'A-Z_' 'a-z-')$suffix"
    log "failover ($scenario$title): 64 in flight, node 1 killed at ${FO_KILL}s, back at ${FO_BACK}s"
    jrun dev.vaultx.pool.bench.FailoverMain --nodes "$NODES" --strategy "$scenario" --concurrency 64 \
      --duration "$FO_DURATION" --kill-at "$FO_KILL" --restore-at "$FO_BACK" --health-interval 2 --io-threads "$IOTHREADS" \
      --kill-cmd "$WORK/kill.sh" --restore-cmd "$WORK/restore.sh" "${tmo[@]}" --title "$title" \
      --csv "$OUT/failover-$name.csv" --png "$OUT/failover-$name.png" --summary "$OUT/failover-$name.txt" \
      > "$OUT/failover-$name.log" 2>&1 || log "failover $scenario failed (see failover-$name.log)"
    cat "$OUT/failover-$name.txt" 2>/dev/null | tee -a "$OUT/run.log" || true
    while read -r p; do NGINX_PIDS+=("$p"); done < <(cat "$WORK/restored-pids" 2>/dev/null || true)
    rm -f "$WORK/restored-pids"
    for i in 1 2 3; do stop_nginx "node$i"; done
  done
fi

# ---------------------------------------------------------------- 3. scale: 10,000 pending against a slow node
if has scale; then
  log "scale: 10,000 requests pending against a slow node (in-JVM JDK HttpServer on 127.0.0.1)"
  jrun -Xlog:gc:file="$OUT/scale-gc.log" dev.vaultx.pool.bench.ScaleMain --pending 10000 --extra 2000 \
    > "$OUT/scale.txt" 2> "$OUT/scale-stderr.log" || log "scale failed (see scale.txt, scale-stderr.log)"
  tee -a "$OUT/run.log" < "$OUT/scale.txt"
fi

# ---------------------------------------------------------------- 4. JMH: the hot path and the metrics trackers
if has jmh; then
  log "jmh: $JMH_ARGS"
  "$JAVA" -cp "$CP" org.openjdk.jmh.Main 'dev.vaultx.pool.impl.internal.(HotPathBenchmark|TrackerBenchmark)' $JMH_ARGS \
    -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.txt" 2>&1 || log "jmh failed (see jmh.txt)"
  sed -n '/^Benchmark/,$p' "$OUT/jmh.txt" | tee -a "$OUT/run.log"
fi

echo "uptime after: $(uptime)" >> "$OUT/machine.txt"
log "done: results in $OUT"
