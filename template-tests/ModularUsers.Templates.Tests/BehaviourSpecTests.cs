using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// The behaviour specs (../Specs) of every module present, run against each generated app on
// SQLite and on a real PostgreSQL. SQL Server cannot run here: its apps are built and migrated only.
// xunit runs the cases of a class one after another and classes side by side, two tests at a
// time on two cores; with two classes per database, two spec runs still share the cores when
// everything else is done.
public abstract class BehaviourSpecTests(Workspace workspace)
{
    protected static TheoryData<string> Half(string db, int half) =>
        new(AppCase.All().Where(c => c.RunsSpecs && c.Db == db).Select(c => c.Name).Where((_, i) => i % 2 == half));

    // Each class below names its cases "Cases".
    [Theory]
    [MemberData("Cases")]
    public async Task The_module_specs_pass_against_the_generated_app(string caseName)
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
    public static TheoryData<string> Cases => Half(Databases.Sqlite, 0);
}

public class SqliteMoreBehaviourSpecTests(Workspace workspace) : BehaviourSpecTests(workspace)
{
    public static TheoryData<string> Cases => Half(Databases.Sqlite, 1);
}

public class PostgresBehaviourSpecTests(Workspace workspace) : BehaviourSpecTests(workspace)
{
    public static TheoryData<string> Cases => Half(Databases.Postgres, 0);
}

public class PostgresMoreBehaviourSpecTests(Workspace workspace) : BehaviourSpecTests(workspace)
{
    public static TheoryData<string> Cases => Half(Databases.Postgres, 1);
}
