using System.Text;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests;

// A failing spec run is reported in a few lines per failure: a CI log shows only its end, and
// there every failed spec must be named, however much the app under test logged.
public class SpecRunReportTests
{
    private const string FailingOutput = """
        Test run for /tmp/cases/accounts-postgres/Specs/bin/Debug/net10.0/Specs.dll (.NETCoreApp,Version=v10.0)
        A total of 1 test files matched the specified pattern.
          Failed Specs.Accounts.SignInFailureSpecs.Five_wrong_passwords_lock_the_account [2 s]
          Error Message:
           Assert.Equal() Failure: Values differ
        Expected: 302
        Actual:   500
          Stack Trace:
             at Specs.Support.Browser.PostFormAsync(String path) in /tmp/cases/accounts-postgres/Specs/Support/Browser.cs:line 40
           at Specs.Accounts.SignInFailureSpecs.Five_wrong_passwords_lock_the_account() in /tmp/cases/accounts-postgres/Specs/Accounts/SignInFailureSpecs.cs:line 31
        --- End of stack trace from previous location ---
          Standard Output Messages:
         [verbose app output]
          Failed Specs.Profiles.ProfileSpecs.A_user_without_a_profile_gets_one_when_opening_it [1 s]
          Error Message:
           System.InvalidOperationException : Sequence contains no elements
          Stack Trace:
             at System.Linq.ThrowHelper.ThrowNoElementsException()
           at Specs.Profiles.ProfileSpecs.A_user_without_a_profile_gets_one_when_opening_it() in /tmp/cases/accounts-postgres/Specs/Profiles/ProfileSpecs.cs:line 77

        Failed!  - Failed:     2, Passed:   120, Skipped:     0, Total:   122, Duration: 2 m 3 s - Specs.dll (net10.0)
        """;

    [Fact]
    public void A_failing_run_names_each_failed_spec_with_its_message_and_place()
    {
        var report = Failing(serverErrors: "").Report();

        Assert.Contains("122 specs, 2 failed", report);
        Assert.Contains("FAILED Specs.Accounts.SignInFailureSpecs.Five_wrong_passwords_lock_the_account", report);
        Assert.Contains("Actual:   500", report);
        Assert.Contains("at Specs.Support.Browser.PostFormAsync(String path) in /tmp/cases/accounts-postgres/Specs/Support/Browser.cs:line 40", report);
        Assert.Contains("FAILED Specs.Profiles.ProfileSpecs.A_user_without_a_profile_gets_one_when_opening_it", report);
        Assert.Contains("Sequence contains no elements", report);
        Assert.DoesNotContain("[verbose app output]", report);
        Assert.DoesNotContain("ThrowNoElementsException", report);
    }

    [Fact]
    public void Thousands_of_logged_errors_become_one_line_per_kind()
    {
        var errors = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            errors.Append($"[09:39:{i % 60:00}.{i % 1000:000}] Specs.Accounts.RegisterSpecs.Spec_{i}\n")
                .Append($"Microsoft.AspNetCore.Diagnostics.DeveloperExceptionPageMiddleware: An unhandled exception has occurred while executing the request.\n")
                .Append($"System.TimeoutException: The operation has timed out after {i} ms.\n   at Somewhere.Deep()\n\n");
        }
        errors.Append("[09:40:00.000] Specs.Logs.RetentionSpecs.Old_events_are_deleted\n")
            .Append("Acme.Shop_2.Pages.Logs.LogRetention: Deleting old events failed.\n")
            .Append("System.IO.IOException: disk full\n\n");

        var report = Failing(errors.ToString()).Report();

        Assert.Contains("Errors the app logged (2 kinds, those of failed specs first):", report);
        Assert.Contains("2000 x, first in Specs.Accounts.RegisterSpecs.Spec_0:", report);
        Assert.Contains("The operation has timed out after 0 ms.", report);
        Assert.Contains("1 x, first in Specs.Logs.RetentionSpecs.Old_events_are_deleted:", report);
        Assert.Contains("Deleting old events failed.", report);
        Assert.True(report.Length < 3000, $"The report is {report.Length} characters long:\n{report}");
    }

    [Fact]
    public void Errors_of_failed_specs_are_shown_before_the_many_that_passing_specs_cause_on_purpose()
    {
        var errors = new StringBuilder();
        foreach (var (spec, exception) in new[]
        {
            ("Specs.Accounts.PasswordHasherSpecs.Cost_settings_below_the_owasp_minimum_stop_the_app_at_start", "Microsoft.Extensions.Options.OptionsValidationException: Argon2.MemoryKiB is too low."),
            ("Specs.Accounts.RestartSpecs.Outside_development_the_app_refuses_a_database_without_its_migrations", "System.InvalidOperationException: The users database lacks 1 migration(s)."),
            ("Specs.Accounts.RestartSpecs.A_second_instance_refuses_bad_settings", "System.ArgumentException: Accounts:CookieName is empty."),
        })
        {
            for (var i = 0; i < 50; i++)
            {
                errors.Append($"[09:39:00.{i:000}] {spec}\nMicrosoft.Extensions.Hosting.Internal.Host: Hosting failed to start\n{exception}\n\n");
            }
        }
        errors.Append("[09:39:30.000] Specs.Profiles.ProfileSpecs.A_user_without_a_profile_gets_one_when_opening_it\n")
            .Append("Microsoft.AspNetCore.Diagnostics.DeveloperExceptionPageMiddleware: An unhandled exception has occurred while executing the request.\n")
            .Append("System.IO.IOException: The configured user limit (128) on the number of inotify instances has been reached.\n\n");

        var report = Failing(errors.ToString()).Report();

        Assert.Contains("Errors the app logged (4 kinds, those of failed specs first):", report);
        var kindLines = report.Split('\n').Where(line => line.StartsWith("  ") && line.Contains(" x, first in ")).ToList();
        Assert.Equal("  1 x, first in Specs.Profiles.ProfileSpecs.A_user_without_a_profile_gets_one_when_opening_it:", kindLines[0]);
        Assert.Contains("inotify instances", report);
        Assert.Equal(3, kindLines.Count);
    }

    [Fact]
    public void A_run_that_stopped_before_listing_any_spec_shows_the_end_of_its_output()
    {
        var output = string.Join('\n', Enumerable.Range(1, 500).Select(i => $"build line {i}")) + "\nerror CS0246: The type or namespace name 'Shop' could not be found";
        var run = new SpecRunResult(new CommandResult("dotnet test", 1, output, TimeSpan.FromSeconds(20)), "specs.log", "", 0, 0, 0);

        var report = run.Report();

        Assert.False(run.Passed);
        Assert.Contains("error CS0246", report);
        Assert.DoesNotContain("build line 400\n", report);
        Assert.Contains("Whole output: specs.log", report);
    }

    private static SpecRunResult Failing(string serverErrors) =>
        new(new CommandResult("dotnet test -nologo", 1, FailingOutput, TimeSpan.FromMinutes(2)), "specs.log", serverErrors, Total: 122, Failed: 2, Skipped: 0);
}
