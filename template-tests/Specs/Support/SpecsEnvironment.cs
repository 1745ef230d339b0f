using System.Reflection;

namespace Specs.Support;

// What the template tests tell the specs through environment variables.
public static class SpecsEnvironment
{
    // "sqlite" (default) or "postgres": must match the --db the app was generated with.
    public static string Database => Environment.GetEnvironmentVariable("SPECS_DB") ?? "sqlite";

    // A PostgreSQL connection string with the right to create databases.
    public static string? PostgresAdmin => Environment.GetEnvironmentVariable("SPECS_POSTGRES");

    public static string AppProjectDirectory => typeof(SpecsEnvironment).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AppProjectDirectory").Value!;
}
