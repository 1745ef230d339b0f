#!/usr/bin/env bash
# Thin wrapper over dotnet commands; build.ps1 runs the same steps. How long each takes: README.md.
#   ./build.sh specs [module...] [--db sqlite|postgres]
#                      the inner loop: the behaviour specs against templates/webapp, no packing;
#                      modules: accounts logs twofactor profiles email sessions audit webapp (none: all of them);
#                      --db postgres uses SPECS_POSTGRES or MU_TEST_POSTGRES, else starts a private server
#   ./build.sh pack    pack the templates into artifacts/package
#   ./build.sh test    build everything and run the template tests
#   ./build.sh demo    create an app with every module (mu-webapp) from the fresh package and run it on http://127.0.0.1:5000
#   ./build.sh bench   benchmarks (logs overhead, /Logs with a million events, signed-in vs anonymous pages, signed-in pages with and without sessions, the user list with 100,000 accounts, profile saves with and without audit, /Audit with a million entries, the two password hashers, full matrix); results in artifacts/bench-results.md
#   ./build.sh migrations   regenerate mu-webapp's first migration for each database after a model change
set -euo pipefail
cd "$(dirname "$0")"

ARTIFACTS="$PWD/artifacts"
source build/postgres.sh

SPEC_MODULES=(accounts logs twofactor profiles email sessions audit webapp)

is_spec_module() {
    local module
    for module in "${SPEC_MODULES[@]}"; do [[ "$1" == "$module" ]] && return 0; done
    return 1
}

specs_usage() {
    echo "./build.sh specs: $1" >&2
    echo "usage: ./build.sh specs [module...] [--db sqlite|postgres]" >&2
    echo "  modules: ${SPEC_MODULES[*]} (webapp: what only mu-webapp adds; none given: all)" >&2
    exit 2
}

# The behaviour specs against templates/webapp, the app every module source compiles in: the
# quick check of a change, before the template tests check what users receive.
specs() {
    local modules=() db=sqlite
    while (( $# )); do
        case "$1" in
            --db) (( $# >= 2 )) || specs_usage "--db needs sqlite or postgres"; db="$2"; shift ;;
            --db=*) db="${1#--db=}" ;;
            -*) specs_usage "unknown option '$1'" ;;
            *) is_spec_module "$1" || specs_usage "unknown module '$1'"; modules+=("$1") ;;
        esac
        shift
    done
    [[ "$db" == sqlite || "$db" == postgres ]] || specs_usage "unknown database '$db' (sqlite or postgres)"

    # No modules: Specs.csproj compiles every module's specs and webapp's.
    local build=(-nologo -warnaserror) chosen=all
    if (( ${#modules[@]} )); then
        chosen="$(IFS=+; echo "${modules[*]}")"
        build+=("-p:SpecModules=$chosen")
    fi
    local postgres=""
    if [[ "$db" == postgres ]]; then
        # A global property, so it reaches templates/webapp through the project reference: the
        # app then compiles its PostgreSQL provider and migration (Directory.Build.targets).
        build+=(-p:MigrationsDb=Postgres)
        postgres="${SPECS_POSTGRES:-${MU_TEST_POSTGRES:-}}"
        if [[ -z "$postgres" ]]; then
            local bin
            bin="$(postgres_bin || true)"
            if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then
                echo "./build.sh specs --db postgres: set SPECS_POSTGRES (or MU_TEST_POSTGRES) to a connection string" \
                    "that may create databases, or install PostgreSQL (apt-get install postgresql) to get a private server." >&2
                exit 1
            fi
            # Stopped on any exit; Ctrl+C and kill exit through the EXIT trap too.
            trap postgres_stop EXIT
            trap 'exit 130' INT
            trap 'exit 143' TERM
            postgres_start "$bin"
            postgres="$POSTGRES_CONNECTION"
        fi
    fi

    # The specs run no tool today; restoring takes a moment once done, and keeps this verb
    # working if one needs dotnet-ef.
    echo "==> Restoring tools (dotnet-ef)"
    dotnet tool restore >/dev/null
    echo "==> Building templates/webapp and the specs ($chosen, $db)"
    dotnet build template-tests/Specs/Specs.csproj "${build[@]}"
    local results="$ARTIFACTS/test-logs" trx="specs-$chosen-$db.trx" status=0
    echo "==> Running the specs ($chosen, $db)"
    SPECS_DB="$db" SPECS_POSTGRES="$postgres" dotnet test template-tests/Specs/Specs.csproj --no-build -nologo \
        --logger "trx;LogFileName=$trx" --results-directory "$results" || status=$?
    echo "==> Test results: $results/$trx"
    return "$status"
}

pack() {
    echo "==> Packing the templates"
    rm -rf "$ARTIFACTS/package"
    dotnet pack ModularUsers.Templates.csproj -c Release -o "$ARTIFACTS/package" -nologo
}

test() {
    echo "==> Restoring tools (dotnet-ef)"
    dotnet tool restore
    echo "==> Building the template sources, specs and tests"
    dotnet build ModularUsers.Templates.slnx -warnaserror -nologo
    # In CI only failures are listed (with their messages), so the end of the log shows what failed.
    local verbosity=normal
    is_ci && verbosity=minimal
    local logs="$ARTIFACTS/test-logs" status=0 skipped
    mkdir -p "$logs"
    rm -f "$logs/template-tests.trx" "$ARTIFACTS/test-timings.md"
    echo "==> Running the template tests (artifacts/test-timings.md, printed at the end, says where the time went)"
    dotnet test template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj --no-build -nologo \
        --filter "Category!=Bench" --logger "console;verbosity=$verbosity" --logger "trx;LogFileName=$logs/template-tests.trx" \
        2>&1 | tee "$logs/template-tests.log" || status=$?
    [[ -f "$ARTIFACTS/test-timings.md" ]] && cat "$ARTIFACTS/test-timings.md"
    # A skipped test (no PostgreSQL, no browser) fails the run unless skips are allowed explicitly.
    skipped="$(grep -oP 'notExecuted="\K[0-9]+' "$logs/template-tests.trx" 2>/dev/null || echo 0)"
    if (( skipped > 0 )); then
        echo "Skipped tests ($skipped):"
        grep -oP 'testName="\K[^"]*(?="[^>]*outcome="NotExecuted")' "$logs/template-tests.trx" | sed 's/^/  /' || true
        if [[ "${MU_ALLOW_SKIPS:-}" == "1" ]]; then
            echo "Allowed by MU_ALLOW_SKIPS=1."
        else
            echo "A skip fails the run: set MU_TEST_POSTGRES and install Chromium (.ci/run does both), or MU_ALLOW_SKIPS=1."
            status=1
        fi
    fi
    # The runner's own summary line stays the last line of the log.
    grep -E '^\s*(Passed|Failed)!' "$logs/template-tests.log" | tail -n 1 || true
    return "$status"
}

# CI=true or CI=1, in any case.
is_ci() { [[ "${CI:-}" =~ ^([Tt][Rr][Uu][Ee]|1)$ ]]; }

bench() {
    echo "==> Restoring tools (dotnet-ef)"
    dotnet tool restore
    echo "==> Building"
    dotnet build template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj -nologo
    echo "==> Running the benchmarks (PostgreSQL ones need MU_TEST_POSTGRES)"
    rm -f "$ARTIFACTS/bench-results.md"
    # MU_BENCH=1: the generated apps are built, but no spec run starts beside the bench.
    MU_BENCH=1 dotnet test template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj --no-build -nologo \
        --filter "Category=Bench" --logger "console;verbosity=normal"
    echo "==> Full matrix: the whole test run, timed"
    local started=$SECONDS
    test
    local seconds=$((SECONDS - started))
    {
        echo
        echo "## Full matrix wall time"
        echo
        echo "\`./build.sh test\` (every case, every spec, the browser journeys), $(nproc) cores," \
            "PostgreSQL specs $([[ -n "${MU_TEST_POSTGRES:-}" ]] && echo included || echo skipped): $((seconds / 60)) min $((seconds % 60)) s"
    } >> "$ARTIFACTS/bench-results.md"
    cat "$ARTIFACTS/bench-results.md"
}

demo() {
    pack
    local demo="$ARTIFACTS/demo" hive="$ARTIFACTS/demo/hive" app="$ARTIFACTS/demo/DemoShop"
    rm -rf "$demo"
    mkdir -p "$demo"
    dotnet new install "$(ls "$ARTIFACTS"/package/*.nupkg)" --debug:custom-hive "$hive"
    echo "==> Creating $app with every module (dotnet new mu-webapp)"
    dotnet new mu-webapp -o "$app" --debug:custom-hive "$hive"
    echo "==> Creating the admin admin@example.com (Development only)"
    local password="purple elephant stapler"
    (cd "$app" && ASPNETCORE_ENVIRONMENT=Development ACCOUNTS_SUPERUSER_PASSWORD="$password" dotnet run -- createsuperuser --email admin@example.com)
    echo
    echo "    Sign in at http://127.0.0.1:5000/Accounts/Login as admin@example.com / $password"
    echo "    then see /Logs (events), /Logs/MySignIns, /TwoFactor and /Profiles;"
    echo "    the mail the app sends (confirmation and reset links) is on /Email/DevMail."
    echo "    Stop with Ctrl+C."
    echo
    (cd "$app" && ASPNETCORE_ENVIRONMENT=Development dotnet run --no-launch-profile --urls http://127.0.0.1:5000)
}

# mu-webapp ships the first migration of the users database, one per database, covering every
# module; each module's tables sit inside "#if (module)" so an app without the module gets none
# (build/condition-migrations.awk adds the conditions), and the /Logs search index, which EF Core
# cannot generate, is added to the SQLite and PostgreSQL ones (build/logs-search-migration.awk).
# Each migration keeps the id (timestamp) it had, so regenerating an unchanged model changes no
# file and a model change shows as a diff of the same files.
migrations() {
    local app=templates/webapp project=templates/webapp/ModularUsersApp.csproj staging db file id
    local -A kept_ids=()
    for db in Sqlite Postgres SqlServer; do
        for file in "$app/Migrations/$db"/*_CreateUsers.cs; do
            [[ -e "$file" ]] && kept_ids[$db]="$(basename "$file" _CreateUsers.cs)"
        done
    done
    staging="$(mktemp -d)"
    dotnet tool restore
    rm -rf "$app/Migrations"
    for db in Sqlite Postgres SqlServer; do
        echo "==> Generating the $db migration"
        dotnet build "$project" -nologo -v q -p:MigrationsDb=$db
        dotnet ef migrations add CreateUsers --no-build --context UsersDbContext --output-dir "Migrations/$db" \
            --project "$project" --startup-project "$project"
        for file in "$app/Migrations/$db"/*_CreateUsers.cs; do id="$(basename "$file" _CreateUsers.cs)"; done
        for file in "$app/Migrations/$db"/*.cs; do
            sed -e "s/ModularUsersApp\.Migrations\.$db/ModularUsersApp.Migrations.Users/" \
                -e "s/${id}_CreateUsers/${kept_ids[$db]:-$id}_CreateUsers/" "$file" |
                awk -f build/condition-migrations.awk > "$file.tmp"
            # SQL Server has no index for the /Logs search (LogsSearchIndex.cs).
            if [[ "$file" == *_CreateUsers.cs && "$db" != SqlServer ]]; then
                awk -f build/logs-search-migration.awk "$file.tmp" > "$file.search" && mv "$file.search" "$file.tmp"
            fi
            rm "$file"
            mv "$file.tmp" "${file/${id}_/${kept_ids[$db]:-$id}_}"
        done
        # EF overwrites any snapshot it finds in the project, so each database's files wait outside it.
        mv "$app/Migrations/$db" "$staging/"
    done
    mv "$staging"/* "$app/Migrations/"
    rmdir "$staging"
    dotnet build "$project" -nologo -v q
}

case "${1:-}" in
    specs) shift; specs "$@" ;;
    pack) pack ;;
    test) test ;;
    demo) demo ;;
    bench) bench ;;
    migrations) migrations ;;
    *) echo "usage: ./build.sh specs|pack|test|demo|bench|migrations (specs takes [module...] [--db sqlite|postgres])" >&2; exit 2 ;;
esac
