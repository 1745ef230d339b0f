using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ModularUsers.Templates.Tests.Support;

namespace ModularUsers.Templates.Tests.Support;

// A generated app running on Kestrel on a free loopback port in Development, with a
// cookie-keeping client. Stopped (by its own PID) when disposed. Its mail (email module) goes to
// the Development mailbox page /Email/DevMail, or, given an SmtpSink, over SMTP to that sink.
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

    // The most memory the app's process has held since it started (Linux: VmHWM), in MiB.
    public double PeakMemoryMiB =>
        File.ReadLines($"/proc/{_process.Id}/status").Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0)
            .Single();

    // The CPU time the app's process has used so far, on every core.
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

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
    // mail: where the app sends mail (SMTP to 127.0.0.1, links from App:PublicBaseUrl = this app's
    // address); null: no SMTP host, so Development keeps mail on /Email/DevMail.
    // settings: configuration given as environment variables (Accounts__SignInLimit).
    public static async Task<RunningApp> StartAsync(string projectFolder, string? connectionString, SmtpSink? mail = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var build = await Command.DotnetAsync(projectFolder, "build", "-c", "Release", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        var app = Launch(projectFolder, "Release", connectionString, mail, settings);
        if (!await app.AnswersAsync())
        {
            var output = app.Output;
            await app.DisposeAsync();
            Assert.Fail($"The app stopped or did not answer within 2 minutes while starting:\n{output}");
        }
        return app;
    }

    // Starts the app already built in this configuration, registers a user (confirming the
    // address from the Development mailbox when the app asks for it), reads the home page and
    // the given pages as that user, and stops the app.
    // SignInPage: the sign-in page as the first visitor sees it, before anyone registered.
    public static async Task<(bool Answered, Registration Registered, string SignInPage, string HomePage, Dictionary<string, HttpStatusCode> Pages, string Output)> StartOnceAsync(
        string projectFolder, string configuration, string connectionString, IEnumerable<string> pages)
    {
        await using var app = Launch(projectFolder, configuration, connectionString, mail: null, settings: null);
        if (!await app.AnswersAsync())
        {
            return (false, new Registration(default, null, false, null), "", "", [], app.Output);
        }
        using var client = app.NewClient();
        var statuses = new Dictionary<string, HttpStatusCode>();
        var signInPage = "";
        try
        {
            signInPage = await client.GetStringAsync("/Accounts/Login");
            var registered = await RegisterAndSignInAsync(client, "first@example.com", "correct horse battery staple");
            var home = await client.GetStringAsync("/");
            foreach (var page in pages)
            {
                statuses[page] = (await client.GetAsync(page)).StatusCode;
            }
            return (true, registered, signInPage, home, statuses, app.Output);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or OperationCanceledException or Xunit.Sdk.XunitException)
        {
            // Reported by the tests that read this start, not thrown into the matrix every test waits for.
            return (true, new Registration(default, null, false, null), signInPage, "", statuses, $"{app.Output}\nThe first user's journey failed: {exception}");
        }
    }

    private static RunningApp Launch(string projectFolder, string configuration, string? connectionString, SmtpSink? mail,
        IReadOnlyDictionary<string, string>? settings)
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
        if (mail is not null)
        {
            start.Environment["App__PublicBaseUrl"] = $"http://127.0.0.1:{port}";
            start.Environment["Email__Smtp__Host"] = "127.0.0.1";
            start.Environment["Email__Smtp__Port"] = mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Email__Smtp__Security"] = "None";
        }
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
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

    // How a registration went: its answer and where it sent the browser; ConfirmedByMail when the
    // app asked to confirm the address first (the email module's Email:RequireConfirmedEmail,
    // on by default), which was done from the Development mailbox, then SignedIn is the sign-in's answer.
    public sealed record Registration(HttpStatusCode Status, string? RedirectedTo, bool ConfirmedByMail, HttpStatusCode? SignedIn);

    // Registers and ends signed in, as a user of `dotnet run` in Development does: when the
    // registration only mails a confirmation link, it is read from /Email/DevMail, opened,
    // confirmed (a POST: opening the link confirms nothing) and followed by a sign-in.
    public static async Task<Registration> RegisterAndSignInAsync(HttpClient client, string email, string password)
    {
        var registered = await RegisterAsync(client, email, password);
        var to = registered.Headers.Location?.OriginalString;
        if (registered.StatusCode != HttpStatusCode.Redirect || to is null || !to.StartsWith("/Email/CheckInbox", StringComparison.Ordinal))
        {
            return new Registration(registered.StatusCode, to, false, null);
        }
        var link = await DevMailLinkAsync(client, email, "/Email/ConfirmEmail");
        var token = Uri.UnescapeDataString(Regex.Match(link.Query, "[?&]token=([^&]+)").Groups[1].Value);
        var confirmed = await SubmitAsync(client, link.PathAndQuery, new() { ["Input.Token"] = token });
        Assert.True(confirmed.StatusCode == HttpStatusCode.Redirect
            && confirmed.Headers.Location?.OriginalString.StartsWith("/Email/Done", StringComparison.Ordinal) == true,
            $"Confirming {email} from {link} answered {(int)confirmed.StatusCode} {confirmed.Headers.Location}:\n{await confirmed.Content.ReadAsStringAsync()}");
        var signedIn = await SignInAsync(client, email, password);
        return new Registration(registered.StatusCode, to, true, signedIn.StatusCode);
    }

    // The newest link to path in a mail to this address on the Development mailbox page
    // (/Email/DevMail: no SMTP host in Development), waiting for the background sender to deliver it.
    public static async Task<Uri> DevMailLinkAsync(HttpClient client, string email, string path)
    {
        var address = WebUtility.HtmlEncode(email);
        var page = "";
        for (var attempt = 0; attempt < 240; attempt++)
        {
            var response = await client.GetAsync("/Email/DevMail");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/Email/DevMail answered {(int)response.StatusCode}");
            page = await response.Content.ReadAsStringAsync();
            // Newest first, each mail's recipient before its body: the first link after the
            // address's first appearance is the newest mail's to it.
            var at = page.IndexOf(address, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                foreach (Match href in Href().Matches(page, at))
                {
                    var url = WebUtility.HtmlDecode(href.Groups[1].Value);
                    if (Uri.TryCreate(url, UriKind.Absolute, out var link) && link.AbsolutePath == path)
                    {
                        return link;
                    }
                }
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"No mail to {email} with a link to {path} on /Email/DevMail within a minute:\n{page}");
    }

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

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
