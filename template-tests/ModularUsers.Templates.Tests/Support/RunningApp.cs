using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests.Support;

// A generated app built in Release and running on Kestrel on a free loopback port, as in
// production, with a cookie-keeping client. Stopped (by its own PID) when disposed.
public sealed partial class RunningApp : IAsyncDisposable
{
    private readonly Process _process;

    private RunningApp(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    // connectionString null: the app's own (SQLite's users.db next to the app).
    public static async Task<RunningApp> StartAsync(string projectFolder, string? connectionString)
    {
        var build = await Command.DotnetAsync(projectFolder, "build", "-c", "Release", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine("bin", "Release", "net10.0", Workspace.AppName + ".dll"));
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
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new RunningApp(process, new Uri($"http://127.0.0.1:{port}"));
        using var probe = new HttpClient();
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            try
            {
                if ((await probe.GetAsync(new Uri(app.Address, "/Accounts/Login"))).StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            Assert.False(process.HasExited, "The app stopped while starting");
            await Task.Delay(100);
        }
        await app.DisposeAsync();
        throw new TimeoutException("The app did not start within 2 minutes.");
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
