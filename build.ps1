#!/usr/bin/env pwsh
# Thin wrapper over dotnet commands; build.sh runs the same steps. How long each takes: README.md.
#   ./build.ps1 specs [module...] [--db sqlite|postgres]
#                       the inner loop: the behaviour specs against templates/webapp, no packing;
#                       modules: accounts logs twofactor profiles email sessions webapp (none: all of them);
#                       --db postgres needs SPECS_POSTGRES or MU_TEST_POSTGRES (build.sh starts a server, this does not)
#   ./build.ps1 pack    pack the templates into artifacts/package
#   ./build.ps1 test    build everything and run the template tests
#   ./build.ps1 demo    create an app with every module (mu-webapp) from the fresh package and run it on http://127.0.0.1:5000
#   ./build.ps1 bench   benchmarks (logs overhead, /Logs with a million events, signed-in vs anonymous pages, signed-in pages with and without sessions, full matrix); results in artifacts/bench-results.md
#   ./build.ps1 migrations   regenerate mu-webapp's first migration for each database (runs build.sh: needs bash and awk)
# No [Parameter()] attributes: they would make this an advanced script, which refuses arguments
# such as --db; here they stay in $args, as build.sh sees them.
param([string]$Verb)
$SpecsArguments = $args
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$Artifacts = Join-Path $PSScriptRoot 'artifacts'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $args failed with exit code $LASTEXITCODE" }
}

$SpecModules = 'accounts', 'logs', 'twofactor', 'profiles', 'email', 'sessions', 'webapp'

function Stop-SpecsUsage([string]$Problem) {
    [Console]::Error.WriteLine("./build.ps1 specs: $Problem")
    [Console]::Error.WriteLine('usage: ./build.ps1 specs [module...] [--db sqlite|postgres]')
    [Console]::Error.WriteLine("  modules: $($SpecModules -join ' ') (webapp: what only mu-webapp adds; none given: all)")
    exit 2
}

# The behaviour specs against templates/webapp, the app every module source compiles in: the
# quick check of a change, before the template tests check what users receive.
function Invoke-Specs([string[]]$Arguments = @()) {
    $modules = @()
    $db = 'sqlite'
    for ($i = 0; $i -lt $Arguments.Count; $i++) {
        $argument = $Arguments[$i]
        if ($argument -ceq '--db') {
            if ($i + 1 -ge $Arguments.Count) { Stop-SpecsUsage '--db needs sqlite or postgres' }
            $i++
            $db = $Arguments[$i]
        } elseif ($argument.StartsWith('--db=')) {
            $db = $argument.Substring('--db='.Length)
        } elseif ($argument.StartsWith('-')) {
            Stop-SpecsUsage "unknown option '$argument'"
        } elseif ($SpecModules -ccontains $argument) {
            $modules += $argument
        } else {
            Stop-SpecsUsage "unknown module '$argument'"
        }
    }
    if ($db -cne 'sqlite' -and $db -cne 'postgres') { Stop-SpecsUsage "unknown database '$db' (sqlite or postgres)" }

    # No modules: Specs.csproj compiles every module's specs and webapp's.
    $build = @('build', 'template-tests/Specs/Specs.csproj', '-nologo', '-warnaserror')
    $chosen = 'all'
    if ($modules.Count -gt 0) {
        $chosen = $modules -join '+'
        $build += "-p:SpecModules=$chosen"
    }
    $postgres = ''
    if ($db -eq 'postgres') {
        # A global property, so it reaches templates/webapp through the project reference: the
        # app then compiles its PostgreSQL provider and migration (Directory.Build.targets).
        $build += '-p:MigrationsDb=Postgres'
        $postgres = if ($env:SPECS_POSTGRES) { $env:SPECS_POSTGRES } elseif ($env:MU_TEST_POSTGRES) { $env:MU_TEST_POSTGRES } else { '' }
        if (-not $postgres) {
            # Unlike build.sh, this script starts no server of its own.
            [Console]::Error.WriteLine('./build.ps1 specs --db postgres: set SPECS_POSTGRES (or MU_TEST_POSTGRES) to a connection string that may create databases, for example')
            [Console]::Error.WriteLine('  $env:SPECS_POSTGRES = "Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres"')
            exit 1
        }
    }

    # The specs run no tool today; restoring takes a moment once done, and keeps this verb
    # working if one needs dotnet-ef.
    Write-Host '==> Restoring tools (dotnet-ef)'
    Invoke-Dotnet tool restore | Out-Null
    Write-Host "==> Building templates/webapp and the specs ($chosen, $db)"
    Invoke-Dotnet @build
    $results = Join-Path $Artifacts 'test-logs'
    $trx = "specs-$chosen-$db.trx"
    Write-Host "==> Running the specs ($chosen, $db)"
    # Failed specs are reported by the exit code below, not as an error record.
    $PSNativeCommandUseErrorActionPreference = $false
    # Set for the run only: from a PowerShell prompt this script runs in the prompt's process.
    $saved = @{ SPECS_DB = $env:SPECS_DB; SPECS_POSTGRES = $env:SPECS_POSTGRES }
    try {
        $env:SPECS_DB = $db
        $env:SPECS_POSTGRES = $postgres
        & dotnet test template-tests/Specs/Specs.csproj --no-build -nologo --logger "trx;LogFileName=$trx" --results-directory $results
        $status = $LASTEXITCODE
    } finally {
        $env:SPECS_DB = $saved.SPECS_DB
        $env:SPECS_POSTGRES = $saved.SPECS_POSTGRES
    }
    Write-Host "==> Test results: $(Join-Path $results $trx)"
    exit $status
}

function Invoke-Pack {
    Write-Host '==> Packing the templates'
    Remove-Item -Recurse -Force (Join-Path $Artifacts 'package') -ErrorAction SilentlyContinue
    Invoke-Dotnet pack ModularUsers.Templates.csproj -c Release -o (Join-Path $Artifacts 'package') -nologo
}

function Invoke-Test {
    Write-Host '==> Restoring tools (dotnet-ef)'
    Invoke-Dotnet tool restore
    Write-Host '==> Building the template sources, specs and tests'
    Invoke-Dotnet build ModularUsers.Templates.slnx -warnaserror -nologo
    # In CI only failures are listed (with their messages), so the end of the log shows what failed.
    $verbosity = if ("$env:CI" -match '^(true|1)$') { 'minimal' } else { 'normal' }
    $logs = Join-Path $Artifacts 'test-logs'
    New-Item -ItemType Directory -Force $logs | Out-Null
    $trx = Join-Path $logs 'template-tests.trx'
    $log = Join-Path $logs 'template-tests.log'
    $timings = Join-Path $Artifacts 'test-timings.md'
    Remove-Item -Force $trx, $timings -ErrorAction SilentlyContinue
    Write-Host '==> Running the template tests (artifacts/test-timings.md, printed at the end, says where the time went)'
    & dotnet test template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj --no-build -nologo --filter 'Category!=Bench' --logger "console;verbosity=$verbosity" --logger "trx;LogFileName=$trx" 2>&1 | Tee-Object -FilePath $log
    $failed = $LASTEXITCODE -ne 0
    if (Test-Path $timings) { Get-Content $timings }
    # A skipped test (no PostgreSQL, no browser) fails the run unless skips are allowed explicitly.
    if (Test-Path $trx) {
        [xml]$results = Get-Content $trx
        $skipped = @($results.TestRun.Results.UnitTestResult | Where-Object { $_.outcome -eq 'NotExecuted' })
        if ($skipped.Count -gt 0) {
            Write-Host "Skipped tests ($($skipped.Count)):"
            $skipped | ForEach-Object { Write-Host "  $($_.testName)" }
            if ($env:MU_ALLOW_SKIPS -eq '1') { Write-Host 'Allowed by MU_ALLOW_SKIPS=1.' }
            else {
                Write-Host 'A skip fails the run: set MU_TEST_POSTGRES and install Chromium (.ci/run does both), or MU_ALLOW_SKIPS=1.'
                $failed = $true
            }
        }
    }
    # The runner's own summary line stays the last line of the log.
    Select-String -Path $log -Pattern '^\s*(Passed|Failed)!' | Select-Object -Last 1 | ForEach-Object { Write-Host $_.Line }
    if ($failed) { throw 'The template tests failed.' }
}

function Invoke-Bench {
    Write-Host '==> Restoring tools (dotnet-ef)'
    Invoke-Dotnet tool restore
    Write-Host '==> Building'
    Invoke-Dotnet build template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj -nologo
    Write-Host '==> Running the benchmarks (PostgreSQL ones need MU_TEST_POSTGRES)'
    $results = Join-Path $Artifacts 'bench-results.md'
    Remove-Item -Force $results -ErrorAction SilentlyContinue
    Invoke-Dotnet test template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj --no-build -nologo --filter 'Category=Bench' --logger 'console;verbosity=normal'
    Write-Host '==> Full matrix: the whole test run, timed'
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    Invoke-Test
    $postgres = if ($env:MU_TEST_POSTGRES) { 'included' } else { 'skipped' }
    Add-Content $results "`n## Full matrix wall time`n`n``./build.ps1 test`` (every case, every spec, the browser journeys), $([Environment]::ProcessorCount) cores, PostgreSQL specs ${postgres}: $([int]$watch.Elapsed.TotalMinutes) min $($watch.Elapsed.Seconds) s"
    Get-Content $results
}

function Invoke-Demo {
    Invoke-Pack
    $demo = Join-Path $Artifacts 'demo'
    $hive = Join-Path $demo 'hive'
    $app = Join-Path $demo 'DemoShop'
    Remove-Item -Recurse -Force $demo -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force $demo | Out-Null
    $package = (Get-ChildItem (Join-Path $Artifacts 'package') -Filter *.nupkg).FullName
    Invoke-Dotnet new install $package --debug:custom-hive $hive
    Write-Host "==> Creating $app with every module (dotnet new mu-webapp)"
    Invoke-Dotnet new mu-webapp -o $app --debug:custom-hive $hive
    Write-Host '==> Creating the admin admin@example.com (Development only)'
    $password = 'purple elephant stapler'
    $env:ASPNETCORE_ENVIRONMENT = 'Development'
    $env:ACCOUNTS_SUPERUSER_PASSWORD = $password
    Push-Location $app
    try {
        Invoke-Dotnet run -- createsuperuser --email admin@example.com
        Remove-Item Env:ACCOUNTS_SUPERUSER_PASSWORD
        Write-Host ''
        Write-Host "    Sign in at http://127.0.0.1:5000/Accounts/Login as admin@example.com / $password"
        Write-Host '    then see /Logs (events), /Logs/MySignIns, /TwoFactor and /Profiles;'
        Write-Host '    the mail the app sends (confirmation and reset links) is on /Email/DevMail.'
        Write-Host '    Stop with Ctrl+C.'
        Write-Host ''
        Invoke-Dotnet run --no-launch-profile --urls http://127.0.0.1:5000
    } finally { Pop-Location }
}

switch ($Verb) {
    'specs' { Invoke-Specs $SpecsArguments }
    'pack' { Invoke-Pack }
    'test' { Invoke-Test }
    'demo' { Invoke-Demo }
    'bench' { Invoke-Bench }
    'migrations' {
        # One implementation of the regeneration (dotnet ef plus an awk pass), in build.sh.
        & bash (Join-Path $PSScriptRoot 'build.sh') migrations
        if ($LASTEXITCODE -ne 0) { throw "build.sh migrations failed with exit code $LASTEXITCODE" }
    }
    default {
        [Console]::Error.WriteLine('usage: ./build.ps1 specs|pack|test|demo|bench|migrations (specs takes [module...] [--db sqlite|postgres])')
        exit 2
    }
}
