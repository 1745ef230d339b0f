# A private PostgreSQL for the tests, sourced by .ci/run and build.sh (not run on its own):
#     source build/postgres.sh
#     trap postgres_stop EXIT          # before starting, so a failed start is cleaned up too
#     postgres_start "$(postgres_bin)" # sets POSTGRES_CONNECTION
# The server listens on 127.0.0.1 only, on the first free port from 54329, keeps everything in a
# temporary directory, and trusts local connections: it is for tests, never for data that matters.

# The newest installed PostgreSQL's bin directory (Debian's layout), or nothing.
postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# PostgreSQL refuses to run as root, so as root its commands run as the postgres user, from /
# (the postgres user may not be allowed into the current directory, and pg_ctl says so on stderr).
_postgres_run() { if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# postgres_start BIN: initialises and starts a server with BIN's initdb and pg_ctl, then sets
# POSTGRES_CONNECTION to a connection string for its superuser, who may create databases.
postgres_start() {
    POSTGRES_BIN="$1"
    POSTGRES_DIR="$(mktemp -d /tmp/mu-postgres.XXXXXX)"
    chown postgres:postgres "$POSTGRES_DIR" 2>/dev/null || true
    local port=54329
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "==> Starting PostgreSQL ($POSTGRES_BIN) on 127.0.0.1:$port"
    # UTF-8 whatever the machine's locale: without LANG, initdb would pick SQL_ASCII, where
    # varchar lengths count bytes and lower() ignores accents, unlike a real deployment.
    _postgres_run "$POSTGRES_BIN/initdb" -D "$POSTGRES_DIR/data" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    _postgres_run "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w \
        -o "-p $port -h 127.0.0.1 -k $POSTGRES_DIR -c fsync=off -c max_connections=500" start >/dev/null
    POSTGRES_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

# Stops the server postgres_start started and removes its directory. Safe to call when none was
# started, when the start failed half-way, and twice. Quiet, so the test runner's summary stays
# the last thing printed.
postgres_stop() {
    [[ -n "${POSTGRES_DIR:-}" ]] || return 0
    if [[ -f "$POSTGRES_DIR/data/postmaster.pid" ]]; then
        _postgres_run "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$POSTGRES_DIR"
    POSTGRES_DIR=
}
