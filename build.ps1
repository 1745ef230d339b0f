#!/usr/bin/env pwsh
# Thin wrapper over dotnet commands; build.sh runs the same steps.
#   ./build.ps1 pack    pack the templates into artifacts/package
#   ./build.ps1 test    build everything and run the template tests
#   ./build.ps1 demo    scaffold an app with every module from the fresh package and run it on http://127.0.0.1:5000
#   ./build.ps1 bench   benchmarks (logs overhead, /Logs with a million events); results in artifacts/bench-results.md
param([Parameter(Mandatory = $true)][ValidateSet('pack', 'test', 'demo', 'bench')][string]$Verb)
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
    Write-Host '==> Running the template tests'
    Invoke-Dotnet test template-tests/ModularUsers.Templates.Tests/ModularUsers.Templates.Tests.csproj --no-build -nologo --filter 'Category!=Bench' --logger 'console;verbosity=normal'
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
    Get-Content $results
}

function Invoke-Demo {
    Invoke-Pack
    $demo = Join-Path $Artifacts 'demo'
    $hive = Join-Path $demo 'hive'
    $app = Join-Path $demo 'DemoShop'
    Write-Host "==> Creating $app"
    Remove-Item -Recurse -Force $demo -ErrorAction SilentlyContinue
    Invoke-Dotnet new webapp -o $app --debug:custom-hive $hive
    $package = (Get-ChildItem (Join-Path $Artifacts 'package') -Filter *.nupkg).FullName
    Push-Location $app
    try {
        Invoke-Dotnet new install $package --debug:custom-hive $hive
        Invoke-Dotnet new mu-accounts --db sqlite --debug:custom-hive $hive
        Invoke-Dotnet new mu-logs --debug:custom-hive $hive
        Invoke-Dotnet new mu-twofactor --debug:custom-hive $hive
        Invoke-Dotnet new mu-profiles --debug:custom-hive $hive
    } finally { Pop-Location }
    Write-Host '==> Adding the printed Program.cs lines and menu partial'
    $program = Join-Path $app 'Program.cs'
    $lines = "`nbuilder.Services.AddAccounts(builder.Configuration);`nbuilder.Services.AddLogs(builder.Configuration);`nbuilder.Services.AddTwoFactor(builder.Configuration);`nbuilder.Services.AddProfiles(builder.Configuration);"
    (Get-Content -Raw $program) -replace '(?m)^builder\.Services\.AddRazorPages\(\);', "`$0$lines" | Set-Content -NoNewline $program
    $layout = Join-Path $app 'Pages/Shared/_Layout.cshtml'
    (Get-Content -Raw $layout) -replace '(?m)^(\s*)</ul>', "`$0`n`$1<partial name=""~/Pages/Accounts/_AccountsNav.cshtml"" />" | Set-Content -NoNewline $layout
    Write-Host '==> Creating the migration'
    Invoke-Dotnet tool restore
    $project = Join-Path $app 'DemoShop.csproj'
    Invoke-Dotnet ef migrations add CreateUsers --context UsersDbContext --output-dir Migrations/Users --project $project --startup-project $project
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
}
