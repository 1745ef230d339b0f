using System.Text.Json;
using System.Xml.Linq;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// A spec run is judged from its TRX file and the app's server-errors.jsonl. These check that
// judgement on small hand-made files: a failure, a skip, an error no spec expected or a folder of
// specs that did not run each fail the run, and the report names them in a few lines, since a CI
// log shows only its end and there every failure must be named.
public class SpecRunReportTests : IDisposable
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private readonly string _folder = Directory.CreateTempSubdirectory("mu-report-").FullName;

    private string Trx => Path.Combine(_folder, "specs.trx");
    private string Errors => Path.Combine(_folder, "server-errors.jsonl");

    [Fact]
    public void A_passing_run_passes()
    {
        WriteTrx(("Specs.Logs.AdminPageSpecs", "Each_filter_narrows_the_events", "Passed", null), ("Specs.Logs.RetentionSpecs", "Old_events_go", "Passed", null));

        var run = Read(new() { ["Logs"] = 2 });

        Assert.True(run.Succeeded, run.Report());
    }

    [Fact]
    public void A_failing_run_names_each_failed_spec_with_its_message_and_place()
    {
        WriteTrx(
            ("Specs.Accounts.SignInFailureSpecs", "Five_wrong_passwords_lock_the_account", "Failed",
                ("Assert.Equal() Failure: Values differ\nExpected: 302\nActual:   500",
                 "   at Specs.Support.Browser.PostFormAsync(String path) in /tmp/Specs/Support/Browser.cs:line 40\n   at Specs.Accounts.SignInFailureSpecs.Five_wrong_passwords_lock_the_account() in /tmp/Specs/Accounts/SignInFailureSpecs.cs:line 31")),
            ("Specs.Accounts.SignInJourneySpecs", "A_user_signs_in", "Passed", null));

        var run = Read(new() { ["Accounts"] = 2 }, exitCode: 1);
        var report = run.Report();

        Assert.False(run.Succeeded);
        Assert.Contains("2 of 2 specs ran, 1 failed", report);
        Assert.Contains("FAILED Specs.Accounts.SignInFailureSpecs.Five_wrong_passwords_lock_the_account", report);
        Assert.Contains("Actual:   500", report);
        Assert.Contains("at Specs.Support.Browser.PostFormAsync(String path) in /tmp/Specs/Support/Browser.cs:line 40", report);
        Assert.DoesNotContain("SignInJourneySpecs", report);
    }

    [Fact]
    public void A_skipped_spec_fails_the_run()
    {
        WriteTrx(("Specs.Logs.AdminPageSpecs", "Each_filter_narrows_the_events", "Passed", null), ("Specs.Logs.RetentionSpecs", "Old_events_go", "NotExecuted", null));

        var run = Read(new() { ["Logs"] = 2 });

        Assert.False(run.Succeeded);
        Assert.Contains("1 not run", run.Report());
    }

    [Fact]
    public void Specs_of_a_folder_that_did_not_all_run_fail_the_run()
    {
        WriteTrx(("Specs.Logs.AdminPageSpecs", "Each_filter_narrows_the_events", "Passed", null));

        var run = Read(new() { ["Logs"] = 3, ["Profiles"] = 4 });
        var report = run.Report();

        Assert.False(run.Succeeded);
        Assert.Contains("MISSING SPECS in Logs: 3 declared ([Fact]/[Theory]), 1 ran", report);
        Assert.Contains("MISSING SPECS in Profiles: 4 declared ([Fact]/[Theory]), 0 ran", report);
    }

    [Fact]
    public void Errors_the_app_logged_fail_the_run_unless_the_spec_expected_them()
    {
        WriteTrx(("Specs.Accounts.KeyRingSpecs", "A_missing_certificate_stops_the_start", "Passed", null));
        WriteErrors(
            new ServerError("Specs.Accounts.KeyRingSpecs.A_missing_certificate_stops_the_start", true, "Microsoft.Extensions.Hosting.Internal.Host", "Error", 11, "Hosting failed to start", "System.InvalidOperationException: DataProtection:Certificate:Path"),
            new ServerError(null, false, "Acme.Shop_2.Pages.Logs.LogPurgeService", "Error", 4002, "Deleting old events failed.", "System.IO.IOException: disk full\n   at Somewhere.Deep()"));

        var run = Read(new() { ["Accounts"] = 1 });
        var report = run.Report();

        Assert.False(run.Succeeded);
        Assert.Contains("The app logged 1 errors no spec expected", report);
        Assert.Contains("during no spec: Acme.Shop_2.Pages.Logs.LogPurgeService [4002] Deleting old events failed.", report);
        Assert.Contains("System.IO.IOException: disk full", report);
        Assert.DoesNotContain("Hosting failed to start", report);
    }

    [Fact]
    public void Expected_errors_alone_do_not_fail_the_run()
    {
        WriteTrx(("Specs.Accounts.KeyRingSpecs", "A_missing_certificate_stops_the_start", "Passed", null));
        WriteErrors(new ServerError("Specs.Accounts.KeyRingSpecs.A_missing_certificate_stops_the_start", true, "Host", "Critical", 11, "Hosting failed to start", null));

        Assert.True(Read(new() { ["Accounts"] = 1 }).Succeeded);
    }

    [Fact]
    public void A_run_that_left_no_results_shows_the_end_of_its_output()
    {
        var output = string.Join('\n', Enumerable.Range(1, 500).Select(i => $"build line {i}")) + "\nerror CS0246: The type or namespace name 'Shop' could not be found";

        var run = SpecRunResult.Read(new CommandResult("dotnet test", 1, output, TimeSpan.FromSeconds(20)), Trx, Errors, new Dictionary<string, int> { ["Logs"] = 2 }, "specs.log");
        var report = run.Report();

        Assert.False(run.Succeeded);
        Assert.Contains("error CS0246", report);
        Assert.DoesNotContain("build line 400\n", report);
        Assert.Contains("Whole output: specs.log", report);
    }

    [Fact]
    public void Many_failures_keep_the_report_short()
    {
        WriteTrx([.. Enumerable.Range(0, 200).Select(i => ("Specs.Logs.AdminPageSpecs", $"Spec_{i}", "Failed", ((string, string)?)(string.Concat(Enumerable.Repeat("long message line\n", 50)), "at Specs.Logs.X()")))]);

        var report = Read(new() { ["Logs"] = 200 }, exitCode: 1).Report();

        Assert.Contains("and 185 more failed specs", report);
        Assert.True(report.Length < 8000, $"The report is {report.Length} characters long");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private SpecRunResult Read(Dictionary<string, int> declared, int exitCode = 0) =>
        SpecRunResult.Read(new CommandResult("dotnet test -nologo", exitCode, "", TimeSpan.FromMinutes(1)), Trx, Errors, declared, "specs.log");

    // The parts of a TRX file that the reader uses, as `dotnet test --logger trx` writes them.
    private void WriteTrx(params (string Class, string Method, string Outcome, (string Message, string Stack)? Error)[] results)
    {
        var ids = results.Select(_ => Guid.NewGuid().ToString()).ToList();
        int Count(string outcome) => results.Count(r => r.Outcome == outcome);
        new XDocument(new XElement(Ns + "TestRun",
            new XElement(Ns + "Results", results.Select((r, i) => new XElement(Ns + "UnitTestResult",
                new XAttribute("testId", ids[i]), new XAttribute("testName", $"{r.Class}.{r.Method}"), new XAttribute("outcome", r.Outcome),
                r.Error is { } error
                    ? new XElement(Ns + "Output", new XElement(Ns + "ErrorInfo", new XElement(Ns + "Message", error.Message), new XElement(Ns + "StackTrace", error.Stack)))
                    : null))),
            new XElement(Ns + "TestDefinitions", results.Select((r, i) => new XElement(Ns + "UnitTest",
                new XAttribute("name", $"{r.Class}.{r.Method}"), new XAttribute("id", ids[i]),
                new XElement(Ns + "TestMethod", new XAttribute("className", r.Class), new XAttribute("name", r.Method))))),
            new XElement(Ns + "ResultSummary", new XAttribute("outcome", Count("Failed") > 0 ? "Failed" : "Completed"),
                new XElement(Ns + "Counters",
                    new XAttribute("total", results.Length), new XAttribute("executed", results.Length - Count("NotExecuted")),
                    new XAttribute("passed", Count("Passed")), new XAttribute("failed", Count("Failed")),
                    new XAttribute("notExecuted", Count("NotExecuted"))))))
            .Save(Trx);
    }

    private void WriteErrors(params ServerError[] errors) =>
        File.WriteAllLines(Errors, errors.Select(error => JsonSerializer.Serialize(error, new JsonSerializerOptions(JsonSerializerDefaults.Web))));
}
