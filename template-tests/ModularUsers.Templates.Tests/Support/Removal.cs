namespace ModularUsers.Templates.Tests.Support;

// The README's steps for removing an optional module from an app with every module (item
// templates, SQLite): delete its folder and its Program.cs line, build, add a migration, build
// again, and start the app on an empty database, which applies both migrations: it must then have
// only the remaining modules' tables, and their pages must answer a registered user. The other
// modules' behaviour without the removed one is what their specs prove in {accounts, module}.
// Started in the background with the spec runs (see Workspace), so the removals do not wait for
// one another.
public sealed record Removal(Module Removed, CommandResult Build, CommandResult? Migration, string? Drops, CommandResult? Rebuild, FirstStart? Started)
{
    public static AppCase Everything => AppCase.All().First(c => c.Source == AppSource.ItemTemplates && c.Db == Databases.Sqlite && c.Modules.Length == Module.All.Count);

    public static async Task<Removal> RunAsync(Workspace workspace, GeneratedApp everything, Module removed)
    {
        var folder = Path.Combine(workspace.Root, "cases", $"remove-{removed.Name}", Workspace.AppName);
        FileTree.CopyWithoutBuildOutput(everything.ProjectFolder, folder);
        Directory.Delete(Path.Combine(folder, removed.Folder), recursive: true);
        var program = Path.Combine(folder, "Program.cs");
        File.WriteAllLines(program, File.ReadAllLines(program).Where(line => line.Trim() != removed.ProgramLine));

        var build = await workspace.HeavyAsync(() => Command.DotnetAsync(folder, "build", "-warnaserror", "-nologo"));
        if (build.ExitCode != 0)
        {
            return new Removal(removed, build, null, null, null, null);
        }
        var project = Path.Combine(folder, Workspace.AppName + ".csproj");
        var migration = await Command.EfAsync(workspace.RepoRoot, project,
            "migrations", "add", "Remove" + removed.SpecsFolder, "--context", "UsersDbContext", "--output-dir", "Migrations/Users", "--no-build");
        if (migration.ExitCode != 0)
        {
            return new Removal(removed, build, migration, null, null, null);
        }
        var drops = File.ReadAllText(Directory.GetFiles(Path.Combine(folder, "Migrations", "Users"), "*_Remove*.cs").Single(f => !f.EndsWith(".Designer.cs")));
        var rebuild = await workspace.HeavyAsync(() => Command.DotnetAsync(folder, "build", "-warnaserror", "-nologo"));
        if (rebuild.ExitCode != 0)
        {
            return new Removal(removed, build, migration, drops, rebuild, null);
        }
        var started = await workspace.HeavyAsync(() => FirstStart.RunAsync(folder, postgresAdmin: null, Module.All.Select(m => m.UserPage)));
        return new Removal(removed, build, migration, drops, rebuild, started);
    }
}
