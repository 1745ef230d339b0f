using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests.Bench;

// Each bench's section of artifacts/bench-results.md, also shown in the test output.
public static class BenchResults
{
    private static readonly Lock Gate = new();

    public static void Append(Workspace workspace, ITestOutputHelper output, params string[] lines)
    {
        var text = string.Join("\n", lines) + "\n";
        output.WriteLine(text);
        var results = Path.Combine(workspace.RepoRoot, "artifacts", "bench-results.md");
        Directory.CreateDirectory(Path.GetDirectoryName(results)!);
        lock (Gate)
        {
            File.AppendAllText(results, text);
        }
    }
}
