#!/usr/bin/env bash
# http.sh: request throughput of cxm against a baseline measured in the same run.
# The baseline is nginx answering a fixed 200 from memory on the same machine:
# what the machine and wrk can do with no application at all.  cxm's numbers are
# reported as requests/second and as a ratio to that baseline.
# Usage: bench/http.sh [SECONDS]   (needs make all, wrk and nginx; scripts/setup)
# Set CXM_BENCH_PG=postgresql://... (a base URL of a running cluster, as
# scripts/pg-cluster prints) to measure the PostgreSQL engine too.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
work=$(mktemp -d /tmp/cxm-bench-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_port() { for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$1${2:-/}" && return 0; sleep 0.05; done; return 1; }

# wrk prints "Requests/sec: N"; keep N.
rps() { wrk -t2 -c32 -d"${secs}s" "$@" 2>/dev/null | awk '/Requests\/sec/ {print $2}'; }

# --- baseline: nginx, fixed response ---------------------------------------
nport=$(free_port)
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<NGX
worker_processes 2;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nport; location / { return 200 '{"status":"ok"}'; } }
}
NGX
user_opt=""
[ "$(id -u)" -eq 0 ] && user_opt="user root;"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "daemon off; $user_opt" &
pids+=($!)
wait_port "$nport"

# --- cxm on SQLite, with the demo agency and an admin token -----------------
db="$work/cxm.db"
build/cxm init --db "$db" --demo >/dev/null
token=$(build/cxm token create --db "$db" --email admin@demo.example --name bench | tail -1)
cport=$(free_port)
build/cxm serve --db "$db" --listen "127.0.0.1:$cport" 2>/dev/null &
pids+=($!)
wait_port "$cport" /healthz

base=$(rps "http://127.0.0.1:$nport/")
row() { printf '%-38s %10.0f req/s   %5.3f x baseline\n' "$1" "$2" "$(echo "$2 / $base" | bc -l)"; }
printf 'machine: %s cores; wrk -t2 -c32 -d%ss per line\n' "$(nproc)" "$secs"
printf '%-38s %10.0f req/s   (baseline)\n' "nginx fixed 200" "$base"
row "cxm GET /healthz (sqlite)" "$(rps "http://127.0.0.1:$cport/healthz")"
row "cxm GET / home page (sqlite)" "$(rps "http://127.0.0.1:$cport/")"
row "cxm GET /static/css/cxm.css" "$(rps "http://127.0.0.1:$cport/static/css/cxm.css")"
row "cxm GET /api/v1/orgs token (sqlite)" "$(rps -H "Authorization: Bearer $token" "http://127.0.0.1:$cport/api/v1/orgs")"

if [ -n "${CXM_BENCH_PG:-}" ]; then
	name="cxm_bench_$$"
	psql "$CXM_BENCH_PG/postgres" -qc "CREATE DATABASE $name"
	pdb="$CXM_BENCH_PG/$name"
	build/cxm init --db "$pdb" --demo >/dev/null
	ptoken=$(build/cxm token create --db "$pdb" --email admin@demo.example --name bench | tail -1)
	pport=$(free_port)
	build/cxm serve --db "$pdb" --listen "127.0.0.1:$pport" 2>/dev/null &
	pids+=($!)
	wait_port "$pport" /healthz
	row "cxm GET /healthz (postgresql)" "$(rps "http://127.0.0.1:$pport/healthz")"
	row "cxm GET / home page (postgresql)" "$(rps "http://127.0.0.1:$pport/")"
	row "cxm GET /api/v1/orgs token (postgresql)" "$(rps -H "Authorization: Bearer $ptoken" "http://127.0.0.1:$pport/api/v1/orgs")"
	kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
	psql "$CXM_BENCH_PG/postgres" -qc "DROP DATABASE $name WITH (FORCE)"
fi
