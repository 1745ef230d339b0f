using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// Every app of the matrix, from item templates or mu-webapp, builds as the user's CI would
// (compiled together as one MSBuild graph, see Matrix).
public class BuildTests(Workspace workspace)
{
    public static TheoryData<string> Cases => AppCase.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_app_builds_with_warnings_as_errors(string caseName)
    {
        var app = await workspace.GenerateAsync(AppCase.Named(caseName));

        Assert.NotNull(app.Build);
        Assert.True(app.Build.ExitCode == 0, app.Describe());
    }
}
