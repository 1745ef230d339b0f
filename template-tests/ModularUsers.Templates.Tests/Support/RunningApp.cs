using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests.Support;

// A generated app running on Kestrel on a free loopback port in Development, with a
// cookie-keeping client. Stopped (by its own PID) when disposed.
public sealed partial class RunningApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private RunningApp(Process process, Uri address, StringBuilder output)
    {
        _process = process;
        Address = address;
        _output = output;
    }

    public Uri Address { get; }

    // What the app printed so far.
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    // connectionString null: the app's own (SQLite's users.db next to the app).
    public static async Task<RunningApp> StartAsync(string projectFolder, string? connectionString)
    {
        var build = await Command.DotnetAsync(projectFolder, "build", "-c", "Release", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        var app = Launch(projectFolder, "Release", connectionString);
        if (!await app.AnswersAsync())
        {
            var output = app.Output;
            await app.DisposeAsync();
            Assert.Fail($"The app stopped or did not answer within 2 minutes while starting:\n{output}");
        }
        return app;
    }

    // Starts the app already built in this configuration, registers a user, reads the home page
    // and the given pages as that user, and stops the app.
    public static async Task<(bool Answered, HttpStatusCode Registered, string HomePage, Dictionary<string, HttpStatusCode> Pages, string Output)> StartOnceAsync(
        string projectFolder, string configuration, string connectionString, IEnumerable<string> pages)
    {
        await using var app = Launch(projectFolder, configuration, connectionString);
        if (!await app.AnswersAsync())
        {
            return (false, default, "", [], app.Output);
        }
        using var client = app.NewClient();
        var registered = await RegisterAsync(client, "first@example.com", "correct horse battery staple");
        var home = await client.GetStringAsync("/");
        var statuses = new Dictionary<string, HttpStatusCode>();
        foreach (var page in pages)
        {
            statuses[page] = (await client.GetAsync(page)).StatusCode;
        }
        return (true, registered.StatusCode, home, statuses, app.Output);
    }

    private static RunningApp Launch(string projectFolder, string configuration, string? connectionString)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine("bin", configuration, "net10.0", Workspace.AppName + ".dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (connectionString is not null)
        {
            start.Environment["ConnectionStrings__Users"] = connectionString;
        }
        start.Environment["Accounts__IpFailureLimit"] = "100000";
        Command.WithoutFileWatching(start);
        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningApp(process, new Uri($"http://127.0.0.1:{port}"), output);
    }

    // Until the sign-in page answers 200, the process ends, or 2 minutes have passed.
    private async Task<bool> AnswersAsync()
    {
        using var probe = new HttpClient();
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            try
            {
                if ((await probe.GetAsync(new Uri(Address, "/Accounts/Login"))).StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (_process.HasExited)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return false;
    }

    public HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = Address,
    };

    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync(path);
        var token = Antiforgery().Match(form).Groups[1].Value;
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        SubmitAsync(client, "/Accounts/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    public static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string email, string password) =>
        SubmitAsync(client, "/Accounts/Register", new() { ["Input.Email"] = email, ["Input.Password"] = password, ["Input.ConfirmPassword"] = password });

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
