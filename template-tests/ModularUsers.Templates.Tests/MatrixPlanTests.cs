using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// The plan of apps and spec runs: which subsets of modules are made, and that the behaviour
// specs see every module with and without every other one.
public class MatrixPlanTests
{
    [Fact]
    public void Every_planned_combination_of_the_optional_modules_is_made_on_every_database_both_ways()
    {
        var cases = AppCase.All().ToList();
        // Five optional modules today: the 12 covering subsets rather than all 32.
        var subsets = Module.Optional.Count <= AppCase.PowerSetLimit ? 1 << Module.Optional.Count : 2 * Module.Optional.Count + 2;

        foreach (var source in new[] { AppSource.ItemTemplates, AppSource.WebApp })
        {
            foreach (var db in new[] { Databases.Sqlite, Databases.Postgres, Databases.SqlServer })
            {
                var made = cases.Where(c => c.Source == source && c.Db == db)
                    .Select(c => string.Join("+", c.Modules.Select(m => m.Name).Order()))
                    .Distinct()
                    .Count();
                Assert.Equal(subsets, made);
            }
        }
    }

    [Fact]
    public void With_more_modules_the_covering_subsets_grow_linearly_and_pair_every_module_with_and_without_every_other()
    {
        var modules = Enumerable.Range(1, 7).Select(i => $"m{i}").ToArray();

        var covering = AppCase.CoveringSubsets(modules).ToList();

        Assert.Equal(2 * modules.Length + 2, covering.Count);
        Assert.Equal(covering.Count, AppCase.Combinations(modules).Count());
        foreach (var a in modules)
        {
            foreach (var b in modules.Where(b => b != a))
            {
                Assert.Contains(covering, subset => subset.Contains(a) && subset.Contains(b));
                Assert.Contains(covering, subset => subset.Contains(a) && !subset.Contains(b));
            }
        }
    }

    // A file name is at most 255 bytes; the all-modules runs name every spec folder.
    [Fact]
    public void Every_spec_run_has_result_files_of_its_own_whose_names_any_file_system_takes()
    {
        var names = SpecRunCase.All().Select(run => SpecRun.FileName(run.LogName) + ".trx").ToList();

        Assert.All(names, name => Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) <= 255, $"{name.Length} characters: {name}"));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Each_module_s_specs_run_with_accounts_alone_and_in_the_app_with_every_module_on_both_databases()
    {
        var runs = SpecRunCase.All().ToList();

        Assert.Equal(2 * (Module.Optional.Count + 2), runs.Count);
        foreach (var db in new[] { Databases.Sqlite, Databases.Postgres })
        {
            foreach (var module in Module.All)
            {
                var alone = runs.Where(r => r.App.Db == db && r.App.Source == AppSource.ItemTemplates && r.SpecFolders.Contains(module.SpecsFolder));
                Assert.Equal([Module.Accounts, .. module == Module.Accounts ? Array.Empty<Module>() : [module]], Assert.Single(alone).App.Modules);
                Assert.Contains(runs, r => r.App.Db == db && r.App.Source == AppSource.WebApp
                    && r.App.Modules.Length == Module.All.Count && r.SpecFolders.Contains(module.SpecsFolder));
            }
            Assert.Contains(runs, r => r.App.Db == db && r.SpecFolders.Contains(SpecRunCase.WebAppSpecsFolder));
        }
        // The location specs (Sessions/GeoIp*) run where the switch is on: on PostgreSQL.
        Assert.Contains(runs, r => r.App.GeoIp && r.SpecFolders.Contains(Module.Sessions.SpecsFolder) && r.App.Source == AppSource.ItemTemplates);
        Assert.Contains(runs, r => r.App.GeoIp && r.SpecFolders.Contains(Module.Sessions.SpecsFolder) && r.App.Source == AppSource.WebApp);
        // Every spec run's app is one the matrix makes.
        var made = AppCase.All().Select(c => c.Name).ToHashSet();
        Assert.All(runs, run => Assert.Contains(run.App.Name, made));
    }
}
