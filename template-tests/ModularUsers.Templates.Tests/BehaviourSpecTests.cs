using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// The behaviour specs (../Specs) against generated apps, on SQLite and on a real PostgreSQL, as
// SpecRunCase.All() plans them: each module's specs in {accounts, module} and in the mu-webapp app
// with every module. SQL Server cannot run here: its apps are built and migrated only. The runs
// start in the background as soon as the matrix is built (see Workspace); these tests wait for them.
public class BehaviourSpecTests(Workspace workspace)
{
    public static TheoryData<string> SqliteRuns => SpecRunCase.Names(Databases.Sqlite);

    public static TheoryData<string> PostgresRuns => SpecRunCase.Names(Databases.Postgres);

    [Theory]
    [MemberData(nameof(SqliteRuns))]
    public Task The_module_specs_pass_against_the_generated_app_on_sqlite(string runName) => PassAsync(runName);

    [Theory]
    [MemberData(nameof(PostgresRuns))]
    public async Task The_module_specs_pass_against_the_generated_app_on_postgres(string runName)
    {
        SpecRun.Postgres();
        await PassAsync(runName);
    }

    private async Task PassAsync(string runName)
    {
        var run = SpecRunCase.Named(runName);
        var app = await workspace.GenerateAsync(run.App);
        Assert.True(app.IsMigrated, app.Describe());

        var specs = await workspace.SpecRunAsync(run);

        Assert.NotNull(specs);
        Assert.True(specs.Succeeded, specs.Report());
    }
}
