namespace ModularUsers.Templates.Tests.Support;

// One item template of the pack. Adding a module to the test matrix = one entry in All.
public sealed record Module(
    string Name,          // template folder under templates/, and the AppModules value the specs use
    string ShortName,     // dotnet new short name
    string Folder,        // what it adds to the user's app
    string ProgramLine,   // the line its instructions ask for in Program.cs
    string[] Packages,    // package references it adds, besides the database provider
    string[] Tables,      // tables its migration creates
    string UserPage,      // a page of it that a signed-in user can open, or is refused (UserPageStatus)
    System.Net.HttpStatusCode UserPageStatus = System.Net.HttpStatusCode.OK)
{
    public static readonly Module Accounts = new(
        "accounts", "mu-accounts", "Pages/Accounts", "builder.Services.AddAccounts(builder.Configuration);",
        [KonsciousPackage, "Microsoft.AspNetCore.DataProtection.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Design"],
        ["Users", "UserRoles", "UserSessions", "UnknownEmailLockouts", "DataProtectionKeys"],
        "/Accounts/ChangePassword");

    public static readonly Module Logs = new(
        "logs", "mu-logs", "Pages/Logs", "builder.Services.AddLogs(builder.Configuration);",
        [],
        ["AuthEvents"],
        "/Logs/MySignIns");

    public static readonly Module TwoFactor = new(
        "twofactor", "mu-twofactor", "Pages/TwoFactor", "builder.Services.AddTwoFactor(builder.Configuration);",
        ["Otp.NET", "QRCoder"],
        ["TwoFactorAuthenticators", "TwoFactorRecoveryCodes"],
        "/TwoFactor");

    public static readonly Module Profiles = new(
        "profiles", "mu-profiles", "Pages/Profiles", "builder.Services.AddProfiles(builder.Configuration);",
        [],
        ["Profiles"],
        "/Profiles");

    public static readonly Module Email = new(
        "email", "mu-email", "Pages/Email", "builder.Services.AddEmail(builder.Configuration);",
        ["MailKit"],
        ["EmailOutbox", "EmailTokens", "UnconfirmedAccounts"],
        "/Email/ChangeEmail");

    // With --geoip (AppCase.GeoIp) it also adds MaxMind.GeoIP2 and MaxMind.Db (GeoIpPackages).
    public static readonly Module Sessions = new(
        "sessions", "mu-sessions", "Pages/Sessions", "builder.Services.AddSessions(builder.Configuration);",
        [],
        ["KnownDevices"],
        "/Sessions");

    // Its pages are the admin's: a signed-in user who is not one is sent to the access-denied page.
    public static readonly Module Audit = new(
        "audit", "mu-audit", "Pages/Audit", "builder.Services.AddAudit(builder.Configuration);",
        [],
        ["AuditEntries"],
        "/Audit", System.Net.HttpStatusCode.Redirect);

    public static readonly string[] GeoIpPackages = ["MaxMind.Db", "MaxMind.GeoIP2"];

    // The accounts module's hasher package, and what --hasher libsodium adds instead.
    public const string KonsciousPackage = "Konscious.Security.Cryptography.Argon2";
    public const string LibsodiumPackage = "Geralt";

    public static readonly IReadOnlyList<Module> All = [Accounts, Logs, TwoFactor, Profiles, Email, Sessions, Audit];

    public static IReadOnlyList<Module> Optional => All.Where(m => m != Accounts).ToList();

    // The sessions module's file that only --geoip copies.
    public const string GeoIpOnlyFile = "Pages/Sessions/MaxMindIpLocator.cs";

    // The FTS5 tables of the /Logs search index that mu-webapp's SQLite migration makes
    // (LogsSearchIndex.Create; on PostgreSQL it is an index, not a table).
    public static readonly string[] LogsSearchTablesOnSqlite =
        ["AuthEventsSearch", "AuthEventsSearch_config", "AuthEventsSearch_data", "AuthEventsSearch_docsize", "AuthEventsSearch_idx"];

    // The accounts module's file that only SQLite apps get.
    public const string SqliteOnlyFile = "Pages/Accounts/SqliteConnectionSetup.cs";

    // The files its template copies into an app, as paths in the app (geoIp: --geoip given).
    public IEnumerable<string> Files(string repoRoot, bool geoIp = false, string db = Databases.Sqlite) =>
        FileTree.List(Path.Combine(repoRoot, "templates", Name))
            .Where(file => !file.StartsWith(".template.config/") && (geoIp || file != GeoIpOnlyFile)
                && (db == Databases.Sqlite || file != SqliteOnlyFile));

    // Its folder of behaviour specs in template-tests/Specs, and the namespace they are in.
    public string SpecsFolder => Folder["Pages/".Length..];

    public override string ToString() => Name;
}

public static class Databases
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string SqlServer = "sqlserver";

    public static string ProviderPackage(string db) => db switch
    {
        Sqlite => "Microsoft.EntityFrameworkCore.Sqlite",
        Postgres => "Npgsql.EntityFrameworkCore.PostgreSQL",
        SqlServer => "Microsoft.EntityFrameworkCore.SqlServer",
        _ => throw new ArgumentOutOfRangeException(nameof(db), db, null),
    };

    // How the migration spells a bounded string column on this database.
    public static string EmailColumnType(string db) => db switch
    {
        Sqlite => "TEXT",
        Postgres => "character varying(254)",
        SqlServer => "nvarchar(254)",
        _ => throw new ArgumentOutOfRangeException(nameof(db), db, null),
    };
}

// How a case's app is made: item templates applied to a fresh `dotnet new webapp`, in the
// case's module order, or `dotnet new mu-webapp` with its module switches.
public enum AppSource
{
    ItemTemplates,
    WebApp,
}

public sealed record AppCase(string Db, Module[] Modules, AppSource Source = AppSource.ItemTemplates)
{
    public string Name => $"{(Source == AppSource.WebApp ? "webapp-" : "")}{string.Join("+", Modules.Select(m => m.Name))}-{Db}";

    // mu-webapp's defaults: every module, SQLite.
    public bool IsWebAppDefault => Source == AppSource.WebApp && Db == Databases.Sqlite && Modules.Length == Module.All.Count;

    public override string ToString() => Name;

    // The sessions module's --geoip switch is on in the PostgreSQL apps that have the module and
    // off in the others, so both ways compile on every run, and each database's spec runs cover
    // one (the location specs run on PostgreSQL).
    public bool GeoIp => Db == Databases.Postgres && Modules.Contains(Module.Sessions);

    // The accounts module's --hasher is libsodium in the PostgreSQL apps and Konscious (the
    // default) in the others: both compile on every run, and the whole spec suite runs with each
    // (the all-modules app on PostgreSQL and on SQLite).
    public bool Libsodium => Db == Databases.Postgres;

    public string Hasher => Libsodium ? "libsodium" : "konscious";

    // What the app's project references besides the database provider.
    public IEnumerable<string> Packages => Modules.SelectMany(m => m.Packages)
        .Select(package => Libsodium && package == Module.KonsciousPackage ? Module.LibsodiumPackage : package)
        .Concat(GeoIp ? Module.GeoIpPackages : []);

    // The value of Specs.csproj's AppModules: the modules, and "geoip" when it is on.
    public string SpecAppModules => string.Join('+', Modules.Select(m => m.Name).Concat(GeoIp ? ["geoip"] : []));

    private static readonly string[] AllDatabases = [Databases.Sqlite, Databases.Postgres, Databases.SqlServer];

    private static Module[] Optional => [.. Module.Optional];

    // Item templates: accounts first (it owns the DbContext), then the combinations of the other
    // modules (Combinations: every subset up to PowerSetLimit modules, the covering subsets
    // beyond); and all of them in two other orders, since any order after accounts must work.
    // mu-webapp: the same combinations through its switches. Each on every database.
    public static IEnumerable<AppCase> All() =>
        (from db in AllDatabases
         from others in Combinations(Optional)
         select new AppCase(db, [Module.Accounts, .. others]))
        .Append(new AppCase(Databases.Sqlite, [Module.Accounts, .. Optional.Reverse()]))
        .Append(new AppCase(Databases.Postgres, [Module.Accounts, Module.TwoFactor, Module.Sessions, Module.Audit, Module.Email, Module.Logs, Module.Profiles]))
        .Concat(
            from db in AllDatabases
            from others in Combinations(Optional)
            select new AppCase(db, [Module.Accounts, .. others], AppSource.WebApp));

    // Every subset of the optional modules is instantiated and compiled while there are at most
    // this many (16 subsets). Each app costs about 25 s of one core (instantiate, compile,
    // migrate or start; see artifacts/test-timings.md), so 2^n subsets × 3 databases × 2 ways of
    // making an app would not fit CI's time with more modules: beyond it, CoveringSubsets. Today
    // there are six (logs, twofactor, profiles, email, sessions, audit; accounts is in every app):
    // 14 covering subsets instead of 64, 86 apps instead of 386.
    public const int PowerSetLimit = 4;

    public static IEnumerable<T[]> Combinations<T>(T[] modules) =>
        modules.Length <= PowerSetLimit ? Subsets(modules) : CoveringSubsets(modules);

    public static IEnumerable<T[]> Subsets<T>(T[] modules) =>
        Enumerable.Range(0, 1 << modules.Length)
            .Select(mask => modules.Where((_, i) => (mask & (1 << i)) != 0).ToArray());

    // None, each alone, all, and all but each one: 2n + 2 subsets, in which every pair of
    // modules is present together, and each of the pair without the other.
    public static IEnumerable<T[]> CoveringSubsets<T>(T[] modules) =>
        new[] { Array.Empty<T>() }
            .Concat(modules.Select(module => new[] { module }))
            .Concat(modules.Select(left => modules.Where(module => !Equals(module, left)).ToArray()))
            .Append(modules);

    public static AppCase Named(string name) => All().Single(c => c.Name == name);

    // Theory data by name: xunit lists each case as its own test.
    public static TheoryData<string> Names(Func<AppCase, bool>? where = null) =>
        new(All().Where(where ?? (_ => true)).Select(c => c.Name));
}

// One run of the behaviour specs (template-tests/Specs): the app it runs against and the spec
// folders it compiles. A module's specs run where it is present with accounts alone, and in the
// mu-webapp app with every module (with the specs of what only mu-webapp adds), on SQLite and on
// PostgreSQL: with accounts and n optional modules that is 2 × (n + 2) runs, which grows with the
// number of modules, not of their subsets. The apps with other subsets are instantiated, compiled,
// migrated and (mu-webapp) started, which is what differs between them. Together the runs have
// every pair of optional modules present together (the app with every module) and each of the
// pair without the other ({accounts, module}).
public sealed record SpecRunCase(AppCase App, string[] SpecFolders)
{
    public const string WebAppSpecsFolder = "WebApp";

    // Specs of one module reacting to another's events, compiled where both are present (Specs.csproj).
    public static readonly string[] CrossModuleSpecsFolders = ["LogsWithTwoFactor", "EmailWithTwoFactor", "EmailWithLogs", "SessionsWithEmail", "SessionsWithLogs", "AuditWithLogs", "AuditWithProfiles"];

    public string Name => $"{App.Name} ({string.Join("+", SpecFolders)} specs)";

    // What its result files are named after (SpecRun.FileName).
    public string LogName => $"{App.Name}-{SpecModules}";

    // Comma-free: the value of -p:SpecModules (folder names in lower case, joined by +).
    public string SpecModules => string.Join("+", SpecFolders.Select(f => f.ToLowerInvariant()));

    // Longest first: they start as soon as their app is ready and share the cores.
    public static IEnumerable<SpecRunCase> All()
    {
        string[] everything = [.. Module.All.Select(m => m.SpecsFolder), .. CrossModuleSpecsFolders, WebAppSpecsFolder];
        foreach (var db in new[] { Databases.Postgres, Databases.Sqlite })
        {
            yield return new SpecRunCase(new AppCase(db, [.. Module.All], AppSource.WebApp), everything);
        }
        foreach (var db in new[] { Databases.Postgres, Databases.Sqlite })
        {
            yield return new SpecRunCase(new AppCase(db, [Module.Accounts]), [Module.Accounts.SpecsFolder]);
        }
        foreach (var module in Module.Optional)
        {
            foreach (var db in new[] { Databases.Postgres, Databases.Sqlite })
            {
                yield return new SpecRunCase(new AppCase(db, [Module.Accounts, module]), [module.SpecsFolder]);
            }
        }
    }

    public static SpecRunCase Named(string name) => All().Single(c => c.Name == name);

    public static TheoryData<string> Names(string db) => new(All().Where(c => c.App.Db == db).Select(c => c.Name));

    public override string ToString() => Name;
}
