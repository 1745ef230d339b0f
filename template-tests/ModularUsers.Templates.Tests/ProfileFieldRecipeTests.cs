using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// Follows the README's three steps for adding a profile field on a generated app, then runs the
// profile specs' round-trip spec, which fills in every field the edit form has.
public class ProfileFieldRecipeTests(Workspace workspace)
{
    [Fact]
    public async Task A_field_added_by_the_readme_recipe_round_trips()
    {
        var appCase = AppCase.All().First(c => c.Db == Databases.Sqlite && c.Modules.Contains(Module.Profiles) && c.Source == AppSource.ItemTemplates);
        var generated = await workspace.GenerateAsync(appCase);
        Assert.True(generated.Migration?.ExitCode == 0, generated.Describe());
        var app = Path.Combine(workspace.Root, "cases", "profile-field-recipe", Workspace.AppName);
        FileTree.CopyWithoutBuildOutput(generated.ProjectFolder, app);
        var profiles = Path.Combine(app, "Pages", "Profiles");

        // 1. The property and its length.
        Edit(Path.Combine(profiles, "Profile.cs"),
            ("    public string? TimeZone { get; set; }\n", "    public string? TimeZone { get; set; }\n\n    public string? Pronouns { get; set; }\n"),
            ("        builder.Property(p => p.TimeZone).HasMaxLength(64);\n", "        builder.Property(p => p.TimeZone).HasMaxLength(64);\n        builder.Property(p => p.Pronouns).HasMaxLength(40);\n"));
        // 2. The form field: InputModel, From, ApplyTo and the markup.
        Edit(Path.Combine(profiles, "Edit.cshtml.cs"),
            ("        [TimeZoneId]\n", "        [StringLength(40)]\n        [PlainText]\n        public string? Pronouns { get; set; }\n\n        [TimeZoneId]\n"),
            ("            TimeZone = profile.TimeZone,\n", "            TimeZone = profile.TimeZone,\n            Pronouns = profile.Pronouns,\n"),
            ("            profile.TimeZone = NullIfBlank(TimeZone);\n", "            profile.TimeZone = NullIfBlank(TimeZone);\n            profile.Pronouns = NullIfBlank(Pronouns);\n"));
        var edit = Path.Combine(profiles, "Edit.cshtml");
        var markup = File.ReadAllText(edit);
        var start = markup.IndexOf("            <div class=\"mb-3\">\n                <label asp-for=\"Input.Location\"", StringComparison.Ordinal);
        var end = markup.IndexOf("            </div>\n", start, StringComparison.Ordinal) + "            </div>\n".Length;
        Assert.True(start > 0 && end > start, "Edit.cshtml no longer has the Location field the README points to");
        File.WriteAllText(edit, markup.Insert(end, markup[start..end].Replace("Location", "Pronouns").Replace(" autocomplete=\"address-level2\"", "")));
        // 3. The migration.
        var build = await workspace.HeavyAsync(() => Command.DotnetAsync(app, "build", "-warnaserror", "-nologo"));
        Assert.True(build.ExitCode == 0, build.ToString());
        var migration = await workspace.HeavyAsync(() => Command.EfAsync(workspace.RepoRoot, Path.Combine(app, Workspace.AppName + ".csproj"),
            "migrations", "add", "AddPronouns", "--context", "UsersDbContext", "--output-dir", "Migrations/Users"));
        Assert.True(migration.ExitCode == 0, migration.ToString());

        var specs = await SpecRun.RunAsync(workspace, app, appCase, [Module.Profiles.SpecsFolder], null,
            new() { ["SPECS_PROFILE_FIELD"] = "Pronouns" }, "profile-field-recipe",
            filter: "FullyQualifiedName=Specs.Profiles.ProfileSpecs.Every_field_of_the_edit_form_round_trips");

        Assert.True(specs.Succeeded, specs.Report());
    }

    private static void Edit(string file, params (string Anchor, string Replacement)[] edits)
    {
        var text = File.ReadAllText(file);
        foreach (var (anchor, replacement) in edits)
        {
            Assert.True(text.Contains(anchor, StringComparison.Ordinal), $"{file} no longer contains the anchor {anchor.Trim()}");
            text = text.Replace(anchor, replacement);
        }
        File.WriteAllText(file, text);
    }
}
