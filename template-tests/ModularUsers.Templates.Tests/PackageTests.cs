using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

public class PackageTests(Workspace workspace)
{
    // The folders under templates/ that hold a template: every module and mu-webapp.
    private static readonly string[] Templates = [.. Module.All.Select(module => module.Name), "webapp"];
    private const string OpenInEditor = "84C0DA21-51C8-4541-9940-6CA19AF04EE6";

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

    [Fact]
    public void The_package_carries_the_readme_for_its_users_the_icon_the_licence_and_the_notices()
    {
        using var package = ZipFile.OpenRead(workspace.PackageFile);
        var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
        string? Field(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

        // Not the maintainers' README.md: the one in docs/, written for people who install the package.
        Assert.Equal(File.ReadAllText(Path.Combine(workspace.RepoRoot, "docs", "package-readme.md")), ReadText(package, "README.md"));
        Assert.Equal("icon.png", Field("icon"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(workspace.RepoRoot, "templates", "webapp", ".template.config", "icon.png")), ReadBytes(package, "icon.png"));
        Assert.Contains("MIT License", ReadText(package, "LICENSE"));
        Assert.Contains("Copyright (c) ModularUsers contributors", ReadText(package, "LICENSE"));
        var notices = ReadText(package, "THIRD-PARTY-NOTICES.md");
        Assert.All(["Bootstrap", "jQuery", "jquery-validation", "jquery-validation-unobtrusive", .. Module.All.SelectMany(m => m.Packages), .. Module.GeoIpPackages, Module.LibsodiumPackage, "libsodium"],
            work => Assert.Contains(work, notices));
        var releaseNotes = Field("releaseNotes") ?? "";
        var description = Field("description") ?? "";
        Assert.All([.. Module.All.Select(m => m.ShortName), "mu-webapp"], shortName =>
        {
            Assert.Contains(shortName, releaseNotes);
            Assert.Contains(shortName, description);
        });
    }

    [Fact]
    public void Every_template_needs_the_dotnet_10_sdk_and_belongs_to_its_group()
    {
        using var package = ZipFile.OpenRead(workspace.PackageFile);
        foreach (var name in Templates)
        {
            var template = ReadTemplate(package, name);
            var constraints = template["constraints"]!.AsObject().Select(c => c.Value!).ToList();
            Assert.Contains(constraints, c => (string?)c["type"] == "sdk-version" && (string?)c["args"] == "[10.0.100, )");
            if (name != "webapp")
            {
                Assert.Contains(constraints, c => (string?)c["type"] == "project-capability" && (string?)c["args"] == "AspNetCore & CSharp");
            }
            // A later identity (another language or .NET version) joins the group and keeps the short name.
            var identity = (string)template["identity"]!;
            Assert.Equal(identity[..identity.LastIndexOf('.')], (string?)template["groupIdentity"]);
            Assert.StartsWith("ModularUsers.", identity);
        }
    }

    [Fact]
    public void Every_option_has_a_display_name_for_ides()
    {
        using var package = ZipFile.OpenRead(workspace.PackageFile);
        var options = 0;
        foreach (var name in Templates)
        {
            foreach (var (id, symbol) in ReadTemplate(package, name)["symbols"]!.AsObject())
            {
                if ((string?)symbol!["type"] == "parameter")
                {
                    Assert.False(string.IsNullOrWhiteSpace((string?)symbol["displayName"]), $"{name}: option {id} has no displayName");
                    options++;
                }
            }
        }
        // mu-accounts: db; mu-sessions: geoip; mu-webapp: db, the six module switches, geoip, skipRestore and Framework.
        Assert.True(options >= 11, $"only {options} options found");
    }

    [Fact]
    public void Mu_webapp_gives_ides_a_name_an_icon_its_options_and_its_readme()
    {
        using var package = ZipFile.OpenRead(workspace.PackageFile);
        var template = ReadTemplate(package, "webapp");
        Assert.Equal("WebApp", (string?)template["defaultName"]);
        Assert.EndsWith("/THIRD-PARTY-NOTICES.md", (string?)template["thirdPartyNotices"]);

        var framework = template["symbols"]!["Framework"]!;
        Assert.Equal("net10.0", (string?)framework["defaultValue"]);
        Assert.Equal("net10.0", (string?)framework["replaces"]);
        Assert.Equal(["net10.0"], framework["choices"]!.AsArray().Select(c => (string?)c!["choice"]));

        var ide = JsonNode.Parse(ReadText(package, "content/templates/webapp/.template.config/ide.host.json"))!;
        Assert.NotNull(package.GetEntry($"content/templates/webapp/.template.config/{(string?)ide["icon"]}"));
        var shown = ide["symbolInfo"]!.AsArray().Where(s => (bool?)s!["isVisible"] == true).Select(s => (string)s!["id"]!).ToList();
        Assert.Equal(["db", "hasher", "logs", "twofactor", "profiles", "email", "sessions", "geoip", "audit"], shown);

        // IDEs do not show manual instructions: they open the app's README.md, which has the next steps.
        var outputs = template["primaryOutputs"]!.AsArray().Select(o => (string?)o!["path"]).ToList();
        var open = template["postActions"]!.AsArray().Single(a => (string?)a!["actionId"] == OpenInEditor)!;
        Assert.Equal("README.md", outputs[int.Parse((string)open["args"]!["files"]!)]);
        Assert.Equal("(HostIdentifier != \"dotnetcli\" && HostIdentifier != \"dotnetcli-preview\")", (string?)open["condition"]);
    }

    // The engine shows the strings of localize/templatestrings.en.json instead of template.json's
    // on an English system: a change to one that misses the other would show stale text there.
    [Fact]
    public void The_english_strings_of_every_template_are_those_of_its_template_json()
    {
        using var package = ZipFile.OpenRead(workspace.PackageFile);
        foreach (var name in Templates)
        {
            var expected = LocalizableStrings(ReadTemplate(package, name));
            var localized = JsonNode.Parse(ReadText(package, $"content/templates/{name}/.template.config/localize/templatestrings.en.json"))!
                .AsObject().ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
            Assert.Equal(expected.Keys.Order(), localized.Keys.Order());
            foreach (var (key, value) in expected)
            {
                Assert.True(value == localized[key], $"{name}: {key} differs from template.json");
            }
        }
    }

    [Fact]
    public async Task Mu_webapp_accepts_the_framework_option_as_the_sdk_templates_do()
    {
        var hive = workspace.NewHive();
        var created = await Command.DotnetAsync(workspace.Root, "new", "mu-webapp", "-o", Path.Combine("framework", "Shop"), "-f", "net10.0", "--no-restore", "--debug:custom-hive", hive);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("<TargetFramework>net10.0</TargetFramework>", File.ReadAllText(Path.Combine(workspace.Root, "framework", "Shop", "Shop.csproj")));
        Assert.Contains("THIRD-PARTY-NOTICES.md", created.Output);

        var refused = await Command.DotnetAsync(workspace.Root, "new", "mu-webapp", "-o", Path.Combine("framework", "Old"), "-f", "net9.0", "--no-restore", "--debug:custom-hive", hive);
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains("'net9.0' is not a valid value for -f", refused.Output);
    }

    // A maintainer's IDE leaves *.user files and .vs/ folders in templates/, and Directory.Build.targets
    // is how this repository compiles the sources: none of them may reach the package or an app.
    [Fact]
    public async Task Files_of_a_maintainers_machine_reach_neither_the_package_nor_a_new_app()
    {
        var copy = Path.Combine(workspace.Root, "maintainer", "repo");
        foreach (var file in new[] { "ModularUsers.Templates.csproj", "Directory.Build.props", "global.json", "LICENSE", "THIRD-PARTY-NOTICES.md", "docs/package-readme.md" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, file))!);
            File.Copy(Path.Combine(workspace.RepoRoot, file), Path.Combine(copy, file));
        }
        FileTree.CopyWithoutBuildOutput(Path.Combine(workspace.RepoRoot, "templates"), Path.Combine(copy, "templates"));
        var webApp = Path.Combine(copy, "templates", "webapp");
        File.WriteAllText(Path.Combine(webApp, "ModularUsersApp.csproj.user"), "<Project />");
        File.WriteAllText(Path.Combine(webApp, "ModularUsersApp.filelist"), "");
        Directory.CreateDirectory(Path.Combine(webApp, ".vs"));
        File.WriteAllText(Path.Combine(webApp, ".vs", "state.json"), "{}");

        var packed = await Command.DotnetAsync(copy, "pack", "ModularUsers.Templates.csproj", "-o", "package");
        Assert.True(packed.ExitCode == 0, packed.ToString());
        using (var package = ZipFile.OpenRead(Directory.GetFiles(Path.Combine(copy, "package"), "*.nupkg").Single()))
        {
            var entries = package.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("content/templates/webapp/ModularUsersApp.csproj", entries);
            Assert.DoesNotContain(entries, e => e.EndsWith(".user") || e.Contains("/.vs/") || e.EndsWith("Directory.Build.targets"));
        }

        // Installed from the folder, as a maintainer does: mu-webapp's own exclusions keep them out of the app.
        var hive = Path.Combine(workspace.Root, "maintainer", "hive");
        var installed = await Command.DotnetAsync(copy, "new", "install", Path.Combine(copy, "templates"), "--debug:custom-hive", hive);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        var created = await Command.DotnetAsync(copy, "new", "mu-webapp", "-o", Path.Combine(workspace.Root, "maintainer", "Shop"), "--no-restore", "--debug:custom-hive", hive);
        Assert.True(created.ExitCode == 0, created.ToString());
        var files = FileTree.List(Path.Combine(workspace.Root, "maintainer", "Shop"));
        Assert.Contains("Shop.csproj", files);
        Assert.DoesNotContain(files, f => f.EndsWith(".user") || f.EndsWith(".filelist") || f.StartsWith(".vs/") || f.EndsWith("Directory.Build.targets"));
    }

    // What the template engine localizes, keyed as in templatestrings.<language>.json.
    private static Dictionary<string, string?> LocalizableStrings(JsonNode template)
    {
        var strings = new Dictionary<string, string?>
        {
            ["author"] = (string?)template["author"],
            ["name"] = (string?)template["name"],
            ["description"] = (string?)template["description"],
        };
        foreach (var (id, symbol) in template["symbols"]!.AsObject())
        {
            if ((string?)symbol!["type"] != "parameter")
            {
                continue;
            }
            foreach (var field in new[] { "displayName", "description" })
            {
                if (symbol[field] is { } value)
                {
                    strings[$"symbols/{id}/{field}"] = (string?)value;
                }
            }
            foreach (var choice in symbol["choices"]?.AsArray() ?? [])
            {
                foreach (var field in new[] { "displayName", "description" })
                {
                    if (choice![field] is { } value)
                    {
                        strings[$"symbols/{id}/choices/{(string?)choice["choice"]}/{field}"] = (string?)value;
                    }
                }
            }
        }
        foreach (var action in template["postActions"]?.AsArray() ?? [])
        {
            var id = (string?)action!["id"];
            strings[$"postActions/{id}/description"] = (string?)action["description"];
            var instructions = action["manualInstructions"]?.AsArray() ?? [];
            // With more than one instruction each needs its own id; these templates have at most one.
            Assert.True(instructions.Count <= 1, $"post action {id} has several manual instructions");
            foreach (var instruction in instructions)
            {
                strings[$"postActions/{id}/manualInstructions/default/text"] = (string?)instruction!["text"];
            }
        }
        return strings;
    }

    private static JsonNode ReadTemplate(ZipArchive package, string name) =>
        JsonNode.Parse(ReadText(package, $"content/templates/{name}/.template.config/template.json"))!;

    private static string ReadText(ZipArchive package, string path)
    {
        var entry = package.GetEntry(path);
        Assert.True(entry is not null, $"the package has no {path}");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static byte[] ReadBytes(ZipArchive package, string path)
    {
        var entry = package.GetEntry(path);
        Assert.True(entry is not null, $"the package has no {path}");
        using var stream = entry.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
