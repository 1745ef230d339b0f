#!/usr/bin/env bash
# Thin wrapper over dotnet commands; build.ps1 runs the same steps.
#   ./build.sh pack    pack the templates into artifacts/package
#   ./build.sh test    build everything and run the template tests
#   ./build.sh demo    scaffold an app with every module from the fresh package and run it on http://127.0.0.1:5000
#   ./build.sh bench   benchmarks (logs overhead, /Logs with a million events); results in artifacts/bench-results.md
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
    echo "==> Running the template tests"
    dotnet test template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj --no-build -nologo \
        --filter "Category!=Bench" --logger "console;verbosity=normal"
}

bench() {
    echo "==> Restoring tools (dotnet-ef)"
    dotnet tool restore
    echo "==> Building"
    dotnet build template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj -nologo
    echo "==> Running the benchmarks (PostgreSQL ones need MU_TEST_POSTGRES)"
    rm -f "$ARTIFACTS/bench-results.md"
    dotnet test template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj --no-build -nologo \
        --filter "Category=Bench" --logger "console;verbosity=normal"
    cat "$ARTIFACTS/bench-results.md"
}

demo() {
    pack
    local demo="$ARTIFACTS/demo" hive="$ARTIFACTS/demo/hive" app="$ARTIFACTS/demo/DemoShop"
    echo "==> Creating $app"
    rm -rf "$demo"
    dotnet new webapp -o "$app" --debug:custom-hive "$hive"
    (cd "$app" && dotnet new install "$(ls "$ARTIFACTS"/package/*.nupkg)" --debug:custom-hive "$hive")
    for template in "mu-accounts --db sqlite" mu-logs mu-twofactor mu-profiles; do
        (cd "$app" && dotnet new $template --debug:custom-hive "$hive")
    done
    echo "==> Adding the printed Program.cs lines and menu partial"
    sed -i 's|^builder.Services.AddRazorPages();|&\nbuilder.Services.AddAccounts(builder.Configuration);\nbuilder.Services.AddLogs(builder.Configuration);\nbuilder.Services.AddTwoFactor(builder.Configuration);\nbuilder.Services.AddProfiles(builder.Configuration);|' "$app/Program.cs"
    sed -i 's|^\(\s*\)</ul>|&\n\1<partial name="~/Pages/Accounts/_AccountsNav.cshtml" />|' "$app/Pages/Shared/_Layout.cshtml"
    echo "==> Creating the migration"
    dotnet tool restore
    dotnet ef migrations add CreateUsers --context UsersDbContext --output-dir Migrations/Users --project "$app/DemoShop.csproj" --startup-project "$app/DemoShop.csproj"
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

case "${1:-}" in
    pack) pack ;;
    test) test ;;
    demo) demo ;;
    bench) bench ;;
    *) echo "usage: ./build.sh pack|test|demo|bench" >&2; exit 2 ;;
esac
