[assembly: AssemblyFixture(typeof(ModularUsers.Templates.Tests.Support.Workspace))]

namespace ModularUsers.Templates.Tests.Support;

// Done once per test run: pack the templates, make a restored `dotnet new webapp` with an awkward
// name, and install the package into a template hive. Every case copies the app and the hive,
// so cases run side by side without sharing state, and reuse the NuGet cache. The first test
// that needs a generated app starts the whole matrix (Matrix); when it is done, every behaviour
// spec run and every module removal starts (longest first) so the cores stay busy, and the tests
// that check them only wait (not for benches: MU_BENCH=1). Runs still going when the tests end (a
// filtered run) are stopped.
public sealed class Workspace : IAsyncLifetime
{
    public const string AppName = "Acme.Shop-2";
    public const string RootNamespace = "Acme.Shop_2";

    // Set to 1 by ./build.sh bench: no spec run or removal starts unless a test asks for it.
    public const string BenchVariable = "MU_BENCH";

    // dotnet processes that build or run at the same time; more only makes them fight for cores.
    private readonly SemaphoreSlim _heavyWork = new(Math.Max(2, Environment.ProcessorCount));
    private readonly Lazy<Task<Matrix>> _matrix;
    private readonly Dictionary<string, Lazy<Task<SpecRunResult?>>> _specRuns;
    private readonly Dictionary<string, Lazy<Task<Removal>>> _removals;
    private readonly CancellationTokenSource _stopping = new();
    private Matrix? _built;

    public Workspace()
    {
        _matrix = new(CreateMatrixAsync);
        _specRuns = SpecRunCase.All().ToDictionary(run => run.Name, run => new Lazy<Task<SpecRunResult?>>(() => RunSpecsWhenReadyAsync(run)));
        _removals = Module.Optional.ToDictionary(module => module.Name, module => new Lazy<Task<Removal>>(async () =>
            await Removal.RunAsync(this, (_built ?? await _matrix.Value).Apps[Removal.Everything.Name], module)));
    }

    // Ends at the end of the test run: processes started with it are stopped then.
    public CancellationToken Stopping => _stopping.Token;

    public string RepoRoot { get; } = FindRepoRoot();
    public string Root { get; } = Directory.CreateTempSubdirectory("mu-tests-").FullName;
    public string PackageFile { get; private set; } = "";
    public CommandResult Pack { get; private set; } = null!;
    public CommandResult Install { get; private set; } = null!;
    private string BaseHive => Path.Combine(Root, "hive");
    private string BaseApp => Path.Combine(Root, "base", AppName);
    public SortedSet<string> BaseAppFiles { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        await Timings.TimeAsync("pack, base app, install", "dotnet pack, new webapp, restore, new install", async () => { await PrepareAsync(); return 0; });
    }

    private async Task PrepareAsync()
    {
        Pack = await Command.DotnetAsync(RepoRoot, "pack", "ModularUsers.Templates.csproj", "-o", Path.Combine(Root, "package"), "-p:ContinuousIntegrationBuild=true");
        if (Pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"Packing the templates failed:\n{Pack}");
        }
        PackageFile = Directory.GetFiles(Path.Combine(Root, "package"), "*.nupkg").Single();

        var created = await Command.DotnetAsync(Root, "new", "webapp", "-o", Path.Combine("base", AppName), "--debug:custom-hive", BaseHive);
        var restored = await Command.DotnetAsync(BaseApp, "restore");
        if (created.ExitCode != 0 || restored.ExitCode != 0)
        {
            throw new InvalidOperationException($"Creating the base app failed:\n{created}\n{restored}");
        }
        BaseAppFiles = FileTree.List(BaseApp);

        // Installed from inside a project, as a user of item templates does.
        Install = await Command.DotnetAsync(BaseApp, "new", "install", PackageFile, "--debug:custom-hive", BaseHive);
    }

    // A private copy of the hive with the package installed.
    public string NewHive()
    {
        var hive = Path.Combine(Root, "hives", Guid.NewGuid().ToString("N"));
        FileTree.Copy(BaseHive, hive);
        return hive;
    }

    // A mu-webapp app outside the matrix, for a bench that needs one app only (so it does not wait
    // for the whole matrix): only the given modules, then the other options; returns the project folder.
    public async Task<string> NewWebAppAsync(string name, IEnumerable<Module> modules, params string[] options)
    {
        var folder = Path.Combine(Root, "bench-apps", name, AppName);
        string[] modulesOff = [.. Module.Optional.Except(modules).SelectMany(m => new[] { $"--{m.Name}", "false" })];
        var created = await Command.DotnetAsync(Root, ["new", "mu-webapp", "-n", AppName, "-o", folder, .. modulesOff, .. options,
            "--debug:custom-hive", NewHive()]);
        Assert.True(created.ExitCode == 0, created.ToString());
        return folder;
    }

    // A private copy of the restored base app; returns the project folder.
    public string NewApp(string caseName)
    {
        var folder = Path.Combine(Root, "cases", caseName, AppName);
        FileTree.Copy(BaseApp, folder);
        return folder;
    }

    public async Task<GeneratedApp> GenerateAsync(AppCase appCase) => (await _matrix.Value).Apps[appCase.Name];

    // null: the run could not start (its app failed a step, or PostgreSQL is not configured).
    public Task<SpecRunResult?> SpecRunAsync(SpecRunCase run) => _specRuns[run.Name].Value;

    public async Task<Removal> RemovalAsync(Module module)
    {
        await _matrix.Value;
        return await _removals[module.Name].Value;
    }

    private async Task<Matrix> CreateMatrixAsync()
    {
        _built = await Matrix.CreateAsync(this);
        if (Environment.GetEnvironmentVariable(BenchVariable) == "1")
        {
            // A bench times one app: spec runs in the background would share its cores.
            return _built;
        }
        // In plan order, each up to its wait for a slot: the longest runs get the cores first,
        // and the removals, three steps each, start early so that their last steps are not
        // the only work left at the end.
        var runs = _specRuns.Values.ToList();
        const int longest = 4;
        foreach (var run in runs.Take(longest))
        {
            _ = run.Value;
        }
        foreach (var removal in _removals.Values)
        {
            _ = removal.Value;
        }
        foreach (var run in runs.Skip(longest))
        {
            _ = run.Value;
        }
        return _built;
    }

    private async Task<SpecRunResult?> RunSpecsWhenReadyAsync(SpecRunCase run)
    {
        var app = (_built ?? await _matrix.Value).Apps[run.App.Name];
        var postgres = run.App.Db == Databases.Postgres ? Environment.GetEnvironmentVariable(SpecRun.PostgresVariable) : null;
        if (!app.IsMigrated || (run.App.Db == Databases.Postgres && string.IsNullOrWhiteSpace(postgres)))
        {
            return null;
        }
        return await SpecRun.RunAsync(this, run, app, postgres);
    }

    public async Task<T> HeavyAsync<T>(Func<Task<T>> work)
    {
        await _heavyWork.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            _heavyWork.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Background work no test awaited (a filtered run) is stopped before the files go.
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_specRuns.Values.Where(run => run.IsValueCreated).Select(run => run.Value));
            await Task.WhenAll(_removals.Values.Where(removal => removal.IsValueCreated).Select(removal => removal.Value));
        }
        catch (Exception)
        {
            // Reported by the test that awaits it.
        }
        var timings = Path.Combine(RepoRoot, "artifacts", "test-timings.md");
        Directory.CreateDirectory(Path.GetDirectoryName(timings)!);
        await File.WriteAllTextAsync(timings, Timings.Table());
        if (Environment.GetEnvironmentVariable("MU_KEEP_TEST_FILES") != "1")
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A process still holding a file; the temporary folder is cleaned by the OS.
            }
        }
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModularUsers.Templates.csproj")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
