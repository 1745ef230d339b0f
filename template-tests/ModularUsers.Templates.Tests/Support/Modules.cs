namespace ModularUsers.Templates.Tests.Support;

// One item template of the pack. Adding a module to the test matrix = one entry in All.
public sealed record Module(
    string Name,          // template folder under templates/, and the AppModules value the specs use
    string ShortName,     // dotnet new short name
    string Folder,        // what it adds to the user's app
    string ProgramLine,   // the line its instructions ask for in Program.cs
    string[] Packages,    // package references it adds, besides the database provider
    string[] Tables)      // tables its migration creates
{
    public static readonly Module Accounts = new(
        "accounts", "mu-accounts", "Pages/Accounts", "builder.Services.AddAccounts(builder.Configuration);",
        ["Konscious.Security.Cryptography.Argon2", "Microsoft.AspNetCore.DataProtection.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Design"],
        ["Users", "UserRoles", "UserSessions", "UnknownEmailLockouts", "DataProtectionKeys"]);

    public static readonly Module Logs = new(
        "logs", "mu-logs", "Pages/Logs", "builder.Services.AddLogs(builder.Configuration);",
        [],
        ["AuthEvents"]);

    public static readonly Module TwoFactor = new(
        "twofactor", "mu-twofactor", "Pages/TwoFactor", "builder.Services.AddTwoFactor(builder.Configuration);",
        ["Otp.NET", "QRCoder"],
        ["TwoFactorAuthenticators", "TwoFactorRecoveryCodes"]);

    public static readonly Module Profiles = new(
        "profiles", "mu-profiles", "Pages/Profiles", "builder.Services.AddProfiles(builder.Configuration);",
        [],
        ["Profiles"]);

    public static readonly IReadOnlyList<Module> All = [Accounts, Logs, TwoFactor, Profiles];

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

    // Item-template cases run the specs of their modules on SQLite and PostgreSQL. mu-webapp copies
    // the same module files, so of its cases only its default, every module, runs them too; its
    // other subsets are checked for files, wiring and a warning-free build. This keeps the whole
    // run inside CI's time limit on two loaded cores.
    public bool RunsSpecs => Db is Databases.Sqlite or Databases.Postgres
        && (Source == AppSource.ItemTemplates || Modules.Length == Module.All.Count);

    // mu-webapp's defaults: every module, SQLite.
    public bool IsWebAppDefault => Source == AppSource.WebApp && Db == Databases.Sqlite && Modules.Length == Module.All.Count;

    public override string ToString() => Name;

    private static readonly string[] AllDatabases = [Databases.Sqlite, Databases.Postgres, Databases.SqlServer];

    private static Module[] Optional => Module.All.Where(m => m != Module.Accounts).ToArray();

    // Item templates: accounts first (it owns the DbContext), then every subset of the other
    // modules; and all of them in two other orders, since any order after accounts must work.
    // mu-webapp: every subset through its switches. Each on every database.
    public static IEnumerable<AppCase> All() =>
        (from db in AllDatabases
         from others in Subsets(Optional)
         select new AppCase(db, [Module.Accounts, .. others]))
        .Append(new AppCase(Databases.Sqlite, [Module.Accounts, .. Optional.Reverse()]))
        .Append(new AppCase(Databases.Postgres, [Module.Accounts, Module.TwoFactor, Module.Logs, Module.Profiles]))
        .Concat(
            from db in AllDatabases
            from others in Subsets(Optional)
            select new AppCase(db, [Module.Accounts, .. others], AppSource.WebApp));

    private static IEnumerable<Module[]> Subsets(Module[] modules) =>
        Enumerable.Range(0, 1 << modules.Length)
            .Select(mask => modules.Where((_, i) => (mask & (1 << i)) != 0).ToArray());

    public static AppCase Named(string name) => All().Single(c => c.Name == name);

    // Theory data by name: xunit lists each case as its own test.
    public static TheoryData<string> Names(Func<AppCase, bool>? where = null) =>
        new(All().Where(where ?? (_ => true)).Select(c => c.Name));
}
