using System.Diagnostics;
using System.Text;

namespace ModularUsers.Templates.Tests.Support;

public sealed record CommandResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    // The end of the output, where build errors are summed up: failure messages of the tests stay
    // short enough for the end of a CI log to show every failure.
    private const int ShownLines = 80;

    public override string ToString()
    {
        var lines = Output.TrimEnd().Split('\n');
        var shown = lines.Length <= ShownLines
            ? Output
            : $"[{lines.Length - ShownLines} earlier lines left out]\n" + string.Join('\n', lines[^ShownLines..]);
        return $"$ {CommandLine}\n(exit {ExitCode} after {Elapsed.TotalSeconds:F1}s)\n{shown}";
    }
}

// Runs a program as a user would in a terminal, with no input, and collects everything it prints.
public static class Command
{
    public static async Task<CommandResult> RunAsync(
        string workingDirectory,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken stopping = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        WithoutFileWatching(start);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cancel.CancelAfter(timeout ?? TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output)
            {
                output.AppendLine($"[killed after {stopwatch.Elapsed.TotalSeconds:F0}s]");
            }
        }
        process.WaitForExit();
        var commandLine = fileName + " " + string.Join(' ', start.ArgumentList.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        lock (output)
        {
            return new CommandResult(commandLine, process.HasExited ? process.ExitCode : -1, output.ToString(), stopwatch.Elapsed);
        }
    }

    public static Task<CommandResult> DotnetAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, "dotnet", arguments);

    // The repository's local dotnet-ef tool (.config/dotnet-tools.json), run from repoRoot on a generated app.
    public static Task<CommandResult> EfAsync(string repoRoot, string projectFile, params string[] arguments) =>
        RunAsync(repoRoot, "dotnet", ["ef", .. arguments, "--project", projectFile, "--startup-project", projectFile]);

    // Each ASP.NET Core host watches its appsettings files and web root (asp-append-version) with
    // an inotify instance, and Linux allows one user 128 of them across all its processes by
    // default. A spec run keeps dozens of hosts alive at once and every test process runs as one
    // user, so two spec runs side by side ran out and requests failed with HTTP 500. No test
    // edits those files while an app runs: configuration is read once, the web root is polled.
    // Inherited by the processes the started one starts (the specs' createsuperuser runs).
    public static void WithoutFileWatching(ProcessStartInfo start)
    {
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        start.Environment["DOTNET_USE_POLLING_FILE_WATCHER"] = "true";
    }
}
