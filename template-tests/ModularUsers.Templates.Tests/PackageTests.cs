using System.IO.Compression;
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
        Assert.Contains("--no-restore Skip the restore after creating the project.", text);
    }
}
