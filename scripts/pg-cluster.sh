#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the registry's PostgreSQL tests: a data directory and a Unix
# socket in a temporary directory, no TCP port, trust authentication for the local socket only.
#   eval "$(scripts/pg-cluster.sh start)"   prints `export CMRV_TEST_PG=…; export CMRV_PG_DIR=…`
#   scripts/pg-cluster.sh stop "$CMRV_PG_DIR"
# As root it runs the server as the `postgres` user (initdb refuses root).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg-cluster: no PostgreSQL server (apt install postgresql)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/cmrv-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 > "$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-k $dir -c listen_addresses='' -c fsync=on -c max_connections=50" start > /dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h "$dir" -U postgres cmrv_test
    echo "export CMRV_TEST_PG='host=$dir user=postgres dbname=cmrv_test'; export CMRV_PG_DIR='$dir'"
    ;;
  stop)
    dir=${2:?usage: pg-cluster.sh stop DIR}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: pg-cluster.sh start | stop DIR" >&2; exit 2 ;;
esac
