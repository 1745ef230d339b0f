using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// The behaviour specs (../Specs) of every module present, run against each generated app on
// SQLite and on a real PostgreSQL. SQL Server cannot run here: its apps are built and migrated only.
// One class per database: xunit runs the cases of a class one after another and the classes side
// by side, so a SQLite and a PostgreSQL spec run share the two cores.
public abstract class BehaviourSpecTests(Workspace workspace)
{
    protected async Task SpecsPassAsync(string caseName)
    {
        var appCase = AppCase.Named(caseName);
        var postgres = appCase.Db == Databases.Postgres ? SpecRun.Postgres() : null;
        var app = await workspace.GenerateAsync(appCase);
        Assert.True(app.IsMigrated, app.Describe());

        var specs = await SpecRun.RunAsync(workspace, app, postgres);

        Assert.True(specs.Passed, specs.Report());
    }
}

public class SqliteBehaviourSpecTests(Workspace workspace) : BehaviourSpecTests(workspace)
{
    public static TheoryData<string> Cases => AppCase.Names(c => c.RunsSpecs && c.Db == Databases.Sqlite);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task The_module_specs_pass_against_the_generated_app(string caseName) => SpecsPassAsync(caseName);
}

public class PostgresBehaviourSpecTests(Workspace workspace) : BehaviourSpecTests(workspace)
{
    public static TheoryData<string> Cases => AppCase.Names(c => c.RunsSpecs && c.Db == Databases.Postgres);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task The_module_specs_pass_against_the_generated_app(string caseName) => SpecsPassAsync(caseName);
}
