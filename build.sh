#!/usr/bin/env bash
# Thin wrapper over dotnet commands; build.ps1 runs the same steps.
#   ./build.sh pack    pack the templates into artifacts/package
#   ./build.sh test    build everything and run the template tests
#   ./build.sh demo    create an app with every module (mu-webapp) from the fresh package and run it on http://127.0.0.1:5000
#   ./build.sh bench   benchmarks (logs overhead, /Logs with a million events, signed-in vs anonymous pages, full matrix); results in artifacts/bench-results.md
#   ./build.sh migrations   regenerate mu-webapp's first migration for each database after a model change
set -euo pipefail
cd "$(dirname "$0")"

ARTIFACTS="$PWD/artifacts"

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
    dotnet test template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj --no-build -nologo \
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
    echo "    then see /Logs (events), /Logs/MySignIns, /TwoFactor and /Profiles."
    echo "    Stop with Ctrl+C."
    echo
    (cd "$app" && ASPNETCORE_ENVIRONMENT=Development dotnet run --no-launch-profile --urls http://127.0.0.1:5000)
}

# Wraps each statement of a generated migration or model snapshot that belongs to an optional
# module in "#if (module)" ... "#endif", so mu-webapp leaves out the tables of unchosen modules.
MODULE_CONDITIONS='
function module_of(text) {
    if (text ~ /Pages\.Logs\.|"AuthEvents"/) return "logs"
    if (text ~ /Pages\.TwoFactor\.|"TwoFactor[A-Za-z]*"/) return "twofactor"
    if (text ~ /Pages\.Profiles\.|"Profiles"/) return "profiles"
    return ""
}
function depth_change(line,    opens, closes) {
    opens = gsub(/\(/, "(", line); closes = gsub(/\)/, ")", line)
    return opens - closes
}
{ lines[NR] = $0 }
END {
    n = 0
    for (i = 1; i <= NR; i++) {
        if (lines[i] !~ /^            (migrationBuilder|modelBuilder)\./) continue
        start = i; depth = 0; text = ""
        for (j = i; j <= NR; j++) {
            text = text lines[j] "\n"; depth += depth_change(lines[j])
            if (depth <= 0) break
        }
        m = module_of(text)
        if (m != "") {
            from = start; to = j
            if (lines[from - 1] ~ /^[ \t]*$/) from--
            else if (lines[to + 1] ~ /^[ \t]*$/) to++
            if (n > 0 && mod[n] == m && last[n] + 1 == from) last[n] = to
            else { n++; first[n] = from; last[n] = to; mod[n] = m }
        }
        i = j
    }
    k = 1
    for (i = 1; i <= NR; i++) {
        if (k <= n && i == first[k]) print "#if (" mod[k] ")"
        print lines[i]
        if (k <= n && i == last[k]) { print "#endif"; k++ }
    }
}'

# mu-webapp ships the first migration of the users database, one per database, covering every
# module; each module's tables sit inside "#if (module)" so an app without the module gets none.
migrations() {
    local app=templates/webapp project=templates/webapp/ModularUsersApp.csproj staging
    staging="$(mktemp -d)"
    dotnet tool restore
    rm -rf "$app/Migrations"
    for db in Sqlite Postgres SqlServer; do
        echo "==> Generating the $db migration"
        dotnet build "$project" -nologo -v q -p:MigrationsDb=$db
        dotnet ef migrations add CreateUsers --no-build --context UsersDbContext --output-dir "Migrations/$db" \
            --project "$project" --startup-project "$project"
        for file in "$app/Migrations/$db"/*.cs; do
            sed "s/ModularUsersApp\.Migrations\.$db/ModularUsersApp.Migrations.Users/" "$file" | awk "$MODULE_CONDITIONS" > "$file.tmp"
            mv "$file.tmp" "$file"
        done
        # EF overwrites any snapshot it finds in the project, so each database's files wait outside it.
        mv "$app/Migrations/$db" "$staging/"
    done
    mv "$staging"/* "$app/Migrations/"
    rmdir "$staging"
    dotnet build "$project" -nologo -v q
}

case "${1:-}" in
    pack) pack ;;
    test) test ;;
    demo) demo ;;
    bench) bench ;;
    migrations) migrations ;;
    *) echo "usage: ./build.sh pack|test|demo|bench|migrations" >&2; exit 2 ;;
esac
