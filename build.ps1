#!/usr/bin/env pwsh
# Thin wrapper over dotnet commands; build.sh runs the same steps.
#   ./build.ps1 pack    pack the templates into artifacts/package
#   ./build.ps1 test    build everything and run the template tests
#   ./build.ps1 demo    create an app with every module (mu-webapp) from the fresh package and run it on http://127.0.0.1:5000
#   ./build.ps1 bench   benchmarks (logs overhead, /Logs with a million events, signed-in vs anonymous pages, full matrix); results in artifacts/bench-results.md
#   ./build.ps1 migrations   regenerate mu-webapp's first migration for each database (runs build.sh: needs bash and awk)
param([Parameter(Mandatory = $true)][ValidateSet('pack', 'test', 'demo', 'bench', 'migrations')][string]$Verb)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$Artifacts = Join-Path $PSScriptRoot 'artifacts'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $args failed with exit code $LASTEXITCODE" }
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
        Write-Host '    then see /Logs (events), /Logs/MySignIns, /TwoFactor and /Profiles.'
        Write-Host '    Stop with Ctrl+C.'
        Write-Host ''
        Invoke-Dotnet run --no-launch-profile --urls http://127.0.0.1:5000
    } finally { Pop-Location }
}

switch ($Verb) {
    'pack' { Invoke-Pack }
    'test' { Invoke-Test }
    'demo' { Invoke-Demo }
    'bench' { Invoke-Bench }
    'migrations' {
        # One implementation of the regeneration (dotnet ef plus an awk pass), in build.sh.
        & bash (Join-Path $PSScriptRoot 'build.sh') migrations
        if ($LASTEXITCODE -ne 0) { throw "build.sh migrations failed with exit code $LASTEXITCODE" }
    }
}
