using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

public class PackageTests(Workspace workspace)
{
    [Fact]
    public void The_package_carries_its_metadata_readme_and_every_template()
    {
        using var package = ZipFile.OpenRead(workspace.PackageFile);
        var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
        string? Field(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal("ModularUsers.Templates", Field("id"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.Contains("dotnet-new", Field("tags"));
        Assert.NotNull(nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == "repository"));
        Assert.Equal("Template", nuspec.Descendants().First(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", entries);
        foreach (var module in Module.All)
        {
            Assert.Contains($"content/templates/{module.Name}/.template.config/template.json", entries);
        }
        Assert.Contains("content/templates/webapp/.template.config/template.json", entries);
        Assert.DoesNotContain(entries, e => e.Contains("/bin/") || e.Contains("/obj/") || e.EndsWith(".db"));
    }

    [Fact]
    public void Installing_the_package_succeeds_without_a_warning()
    {
        Assert.True(workspace.Install.ExitCode == 0, workspace.Install.ToString());
        Assert.Contains("Success: ModularUsers.Templates@", workspace.Install.Output);
        foreach (var module in Module.All)
        {
            Assert.Contains(module.ShortName, workspace.Install.Output);
        }
        Assert.Contains("mu-webapp", workspace.Install.Output);
        Assert.DoesNotContain("warn", workspace.Install.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("might not work", workspace.Install.Output);
        Assert.DoesNotContain("error", workspace.Install.Output, StringComparison.OrdinalIgnoreCase);
    }

    // The item templates add packages by post-action, mu-webapp lists them in its project file:
    // a team must get the same versions either way.
    [Fact]
    public void The_package_versions_the_item_templates_pin_equal_those_of_mu_webapp()
    {
        var project = XDocument.Load(Path.Combine(workspace.RepoRoot, "templates", "webapp", "ModularUsersApp.csproj"));
        var webApp = project.Descendants("PackageReference")
            .ToDictionary(reference => reference.Attribute("Include")!.Value, reference => reference.Attribute("Version")!.Value);
        var pinned = 0;
        foreach (var module in Module.All)
        {
            using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(workspace.RepoRoot, "templates", module.Name, ".template.config", "template.json")));
            var references = template.RootElement.TryGetProperty("postActions", out var actions)
                ? actions.EnumerateArray().Where(action => action.TryGetProperty("args", out var args) && args.TryGetProperty("reference", out _))
                    .Select(action => action.GetProperty("args"))
                : [];
            foreach (var reference in references)
            {
                var package = reference.GetProperty("reference").GetString()!;
                Assert.True(webApp.TryGetValue(package, out var version), $"{module.ShortName} adds {package}, which mu-webapp's project does not reference");
                Assert.Equal(version, reference.GetProperty("version").GetString());
                pinned++;
            }
        }
        Assert.True(pinned >= Module.All.Sum(m => m.Packages.Length), $"only {pinned} pinned packages found");
    }

    [Fact]
    public async Task Help_describes_every_option_of_mu_accounts()
    {
        var app = workspace.NewApp("help");
        var help = await Command.DotnetAsync(app, "new", "mu-accounts", "--help", "--debug:custom-hive", workspace.NewHive());

        Assert.True(help.ExitCode == 0, help.ToString());
        // Help wraps long lines; compare with single spaces.
        var text = string.Join(' ', help.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--db <sqlite|postgres|...> The database for the users tables.", text);
        Assert.Contains("sqlite SQLite file users.db next to the app (default)", text);
        Assert.Contains("postgres PostgreSQL through Npgsql", text);
        Assert.Contains("sqlserver Microsoft SQL Server", text);
        Assert.Contains("Default: sqlite", text);
    }

    [Fact]
    public async Task Help_describes_every_option_of_mu_webapp()
    {
        var help = await Command.DotnetAsync(workspace.Root, "new", "mu-webapp", "--help", "--debug:custom-hive", workspace.NewHive());

        Assert.True(help.ExitCode == 0, help.ToString());
        var text = string.Join(' ', help.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--db <sqlite|postgres|...> The database for the users tables.", text);
        Assert.Contains("--logs Include the logs module", text);
        Assert.Contains("--twofactor Include the two-factor module", text);
        Assert.Contains("--profiles Include the profiles module", text);
        Assert.Contains("--email Include the email module", text);
        Assert.Contains("--no-restore Skip the restore after creating the project.", text);
    }
}
