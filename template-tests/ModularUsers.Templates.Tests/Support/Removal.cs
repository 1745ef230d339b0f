namespace ModularUsers.Templates.Tests.Support;

// The README's steps for removing an optional module from an app with every module (item
// templates, SQLite): delete its folder and its Program.cs line, build, add a migration, then
// run the other optional modules' specs against what is left. Started in the background with
// the spec runs (see Workspace), so the three removals do not wait for one another.
public sealed record Removal(Module Removed, CommandResult Build, CommandResult? Migration, string? Drops, SpecRunResult? Specs)
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
            return new Removal(removed, build, null, null, null);
        }
        var project = Path.Combine(folder, Workspace.AppName + ".csproj");
        var migration = await Command.EfAsync(workspace.RepoRoot, project,
            "migrations", "add", "Remove" + removed.SpecsFolder, "--context", "UsersDbContext", "--output-dir", "Migrations/Users", "--no-build");
        if (migration.ExitCode != 0)
        {
            return new Removal(removed, build, migration, null, null);
        }
        var drops = File.ReadAllText(Directory.GetFiles(Path.Combine(folder, "Migrations", "Users"), "*_Remove*.cs").Single(f => !f.EndsWith(".Designer.cs")));

        // The accounts specs run against accounts alone elsewhere; here the other modules' specs
        // show that none of them needed the removed one.
        var remaining = new AppCase(Databases.Sqlite, everything.Case.Modules.Where(m => m != removed).ToArray());
        var specs = await SpecRun.RunAsync(workspace, folder, remaining,
            remaining.Modules.Where(m => m != Module.Accounts).Select(m => m.SpecsFolder).ToArray(), postgres: null, [], $"remove-{removed.Name}");
        return new Removal(removed, build, migration, drops, specs);
    }
}
