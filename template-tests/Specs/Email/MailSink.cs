using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using Specs.Support;

namespace Specs.Email;

// A real SMTP server on 127.0.0.1, in the test process: the app sends to it as to any mail
// server, over the network, and the spec reads what arrived. Each mail is handed to the spec once
// (NextMailToAsync takes it), so "exactly one mail" is the next one and then no other.
// StopAsync and StartAsync close and reopen the same port, for specs about a mail server outage.
// It listens on loopback only and takes any sender and recipient.
public sealed class MailSink : IAsyncDisposable
{
    public const string From = "noreply@app.example";
    public const string PublicBaseUrl = "https://app.example";

    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<Received> _waiting = [];
    private readonly List<Received> _all = [];
    private readonly ISmtpServerOptions _options;
    private readonly X509Certificate2? _certificate;
    private readonly bool _tlsOnConnect;
    private readonly Login? _login;
    private TaskCompletionSource _arrived = NewSignal();
    private CancellationTokenSource? _stop;
    private Task? _running;

    private MailSink(int port, X509Certificate2? certificate, bool tlsOnConnect, Login? login)
    {
        Port = port;
        _certificate = certificate;
        _tlsOnConnect = tlsOnConnect;
        _login = login;
        _options = new SmtpServerOptionsBuilder()
            .ServerName("specs-mail-sink")
            .Endpoint(endpoint =>
            {
                // TLS from the first byte (as on port 465), or plain with STARTTLS offered when
                // there is a certificate (as on a submission port, 587).
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)).IsSecure(tlsOnConnect).SessionTimeout(TimeSpan.FromSeconds(30));
                if (certificate is not null)
                {
                    endpoint.Certificate(certificate).SupportedSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13);
                }
                // AUTH is offered only once the connection is encrypted.
                endpoint.AuthenticationRequired(login is not null).AllowUnsecureAuthentication(false);
            })
            .Build();
    }

    public int Port { get; }

    // SHA-256 of the STARTTLS certificate in hex, as Email:Smtp:CertificateThumbprint takes it.
    public string? CertificateSha256 => _certificate is null ? null : Convert.ToHexString(_certificate.GetCertHash(HashAlgorithmName.SHA256));

    // The settings that point the app at this server. A spec adds its own to the copy it gets.
    public Dictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>
            {
                ["Email:Smtp:Host"] = "127.0.0.1",
                ["Email:Smtp:Port"] = Port.ToString(),
                ["Email:Smtp:Security"] = _certificate is null ? "None" : _tlsOnConnect ? "SslOnConnect" : "StartTls",
                ["Email:From"] = From,
                // Another host than the browsers' (https://localhost): a link can only be right by
                // coming from this setting, never from the request.
                ["App:PublicBaseUrl"] = PublicBaseUrl,
                // Real time, not the app's clock: retries after an outage come quickly.
                ["Email:PollInterval"] = "00:00:00.200",
            };
            if (CertificateSha256 is { } thumbprint)
            {
                settings["Email:Smtp:CertificateThumbprint"] = thumbprint;
            }
            if (_login is not null)
            {
                settings["Email:Smtp:UserName"] = _login.UserName;
                settings["Email:Smtp:Password"] = _login.Password;
            }
            return settings;
        }
    }

    // Every mail that arrived, in order, taken or not.
    public IReadOnlyList<MimeMessage> All
    {
        get
        {
            lock (_gate)
            {
                return _all.Select(r => r.Message).ToList();
            }
        }
    }

    // A plain server, as Security=None expects.
    public static MailSink Start() => Start(null, tlsOnConnect: false, login: null);

    // A server that offers STARTTLS with a self-signed certificate no authority vouches for: the
    // app trusts it only through Email:Smtp:CertificateThumbprint (in Settings). With a login it
    // takes mail only from a client that signed in with it (Settings has it too).
    public static MailSink StartWithStartTls(Login? login = null) => Start(SelfSignedCertificate(), tlsOnConnect: false, login);

    // The same certificate, but TLS from the first byte, as Security=SslOnConnect expects.
    public static MailSink StartWithTlsOnConnect() => Start(SelfSignedCertificate(), tlsOnConnect: true, login: null);

    public sealed record Login(string UserName, string Password);

    // How a mail reached this server: over an encrypted connection or not, signed in as whom.
    public (bool OverTls, string? UserName) HowArrived(MimeMessage mail)
    {
        lock (_gate)
        {
            var received = _all.Single(r => r.Message == mail);
            return (received.OverTls, received.UserName);
        }
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var files = new TestCertificate("127.0.0.1");
        return X509CertificateLoader.LoadPkcs12FromFile(files.PfxPath, TestCertificate.Password);
    }

    private static MailSink Start(X509Certificate2? certificate, bool tlsOnConnect, Login? login)
    {
        var sink = new MailSink(FreePort(), certificate, tlsOnConnect, login);
        sink.Listen();
        return sink;
    }

    // The next mail to the address that no spec has taken yet; fails the spec after the timeout,
    // saying what did arrive.
    public Task<MimeMessage> NextMailToAsync(string address, TimeSpan? timeout = null) =>
        TakeAsync(address, null, timeout);

    // The first mail to the address with this subject that no spec has taken yet (mails with
    // other subjects stay for later).
    public Task<MimeMessage> NextMailToAsync(string address, string subject, TimeSpan? timeout = null) =>
        TakeAsync(address, subject, timeout);

    // No mail to the address (with this subject, when given) is waiting once the app has sent
    // all it had queued (when given the app: its outbox has no row left to try), and a moment
    // later still none.
    public async Task AssertNoMailToAsync(string address, TestApp? app = null, string? subject = null)
    {
        if (app is not null)
        {
            await app.OutboxSentAsync();
        }
        await Task.Delay(app is null ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(500));
        lock (_gate)
        {
            var unexpected = _waiting.Where(r => r.IsTo(address) && (subject is null || r.Message.Subject == subject)).ToList();
            Assert.True(unexpected.Count == 0,
                $"Expected no mail to {address}{(subject is null ? "" : $" with the subject \"{subject}\"")}, got "
                + $"{string.Join("; ", unexpected.Select(r => $"\"{r.Message.Subject}\""))}. {Describe()}");
        }
    }

    // The one link of a mail: the line of its text body that starts with http.
    public static Uri LinkIn(MimeMessage mail)
    {
        Assert.False(mail.TextBody is null, $"\"{mail.Subject}\" has no text body");
        var links = mail.TextBody.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("http://", StringComparison.Ordinal) || line.StartsWith("https://", StringComparison.Ordinal))
            .ToList();
        Assert.True(links.Count == 1, $"\"{mail.Subject}\" should have exactly one link on a line of its own; it has {links.Count}:\n{mail.TextBody}");
        return new Uri(links[0]);
    }

    // Closes the port: the app's connections are refused until StartAsync.
    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }
        await _stop.CancelAsync();
        try
        {
            await _running!.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _stop = null;
        _running = null;
    }

    // Listens again on the same port.
    public Task StartAsync()
    {
        if (_stop is null)
        {
            Listen();
        }
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _certificate?.Dispose();
    }

    private void Listen()
    {
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        if (_login is not null)
        {
            services.Add(new Authenticator(_login));
        }
        var server = new SmtpServer.SmtpServer(_options, services);
        _stop = new CancellationTokenSource();
        // The listening socket is open when StartAsync returns its task, or the task has failed.
        _running = server.StartAsync(_stop.Token);
        if (_running.IsFaulted)
        {
            throw new InvalidOperationException($"The mail sink cannot listen on 127.0.0.1:{Port}", _running.Exception);
        }
    }

    private async Task<MimeMessage> TakeAsync(string address, string? subject, TimeSpan? timeout)
    {
        var wait = timeout ?? DefaultWait;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                var mail = _waiting.FirstOrDefault(r => r.IsTo(address) && (subject is null || r.Message.Subject == subject));
                if (mail is not null)
                {
                    _waiting.Remove(mail);
                    return mail.Message;
                }
                arrived = _arrived.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(arrived, Task.Delay(left)) != arrived)
            {
                Assert.Fail($"No mail to {address}{(subject is null ? "" : $" with the subject \"{subject}\"")} within {wait.TotalSeconds:0.#} s. {Describe()}");
            }
        }
    }

    private void Add(Received mail)
    {
        lock (_gate)
        {
            _waiting.Add(mail);
            _all.Add(mail);
            var arrived = _arrived;
            _arrived = NewSignal();
            arrived.SetResult();
        }
    }

    private string Describe()
    {
        lock (_gate)
        {
            return _all.Count == 0
                ? "No mail arrived at all."
                : $"What arrived ({_all.Count}):\n" + string.Join('\n', _all.Select(r =>
                    $"  {r.At:HH:mm:ss.fff} to {string.Join(", ", r.Recipients)}: \"{r.Message.Subject}\"{(_waiting.Contains(r) ? "" : " (taken)")}"));
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Bound and released at once: free now, and the OS hands out another next time.
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed record Received(DateTime At, IReadOnlyList<string> Recipients, MimeMessage Message, bool OverTls, string? UserName)
    {
        // The envelope's recipients (RCPT TO), as a real server delivers, and the To header.
        public bool IsTo(string address) =>
            Recipients.Contains(address, StringComparer.OrdinalIgnoreCase)
            && Message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class Store(MailSink sink) : IMessageStore
    {
        public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sink.Add(new Received(DateTime.UtcNow, transaction.To.Select(m => $"{m.User}@{m.Host}").ToList(), message,
                context.Pipe.IsSecure, context.Authentication.IsAuthenticated ? context.Authentication.User : null));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Authenticator(Login login) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken) =>
            Task.FromResult(user == login.UserName && password == login.Password);
    }
}
