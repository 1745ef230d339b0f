using System.Buffers;
using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ModularUsers.Templates.Tests.Support;

// A real SMTP server on 127.0.0.1, on a port the system picks, for the apps under test: the
// app's own SMTP client (MailKit, Email:Smtp:Security None) connects to it over TCP as it would to
// a mail relay. Every message is parsed with MimeKit and kept; a test reads them as a user reads
// a mailbox, each mail once. Stopped when disposed.
public sealed partial class SmtpSink : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private readonly CancellationTokenSource _stop;
    private readonly Inbox _inbox;

    private SmtpSink(SmtpServer.SmtpServer server, Task running, CancellationTokenSource stop, Inbox inbox, int port)
    {
        _server = server;
        _running = running;
        _stop = stop;
        _inbox = inbox;
        Port = port;
    }

    public int Port { get; }

    // Every mail received so far, oldest first.
    public IReadOnlyList<MimeMessage> Messages => _inbox.All();

    public static async Task<SmtpSink> StartAsync()
    {
        // Port 0: the listener's own port, read back when it starts, so no other process can take
        // it between choosing and binding.
        var listeners = new EndpointListenerFactory();
        var bound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => bound.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var inbox = new Inbox();
        var services = new ServiceProvider();
        services.Add(listeners);
        services.Add(inbox);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        var server = new SmtpServer.SmtpServer(options, services);
        var stop = new CancellationTokenSource();
        var running = server.StartAsync(stop.Token);
        var first = await Task.WhenAny(bound.Task, running, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first != bound.Task)
        {
            await stop.CancelAsync();
            throw new InvalidOperationException("The SMTP sink did not start listening on 127.0.0.1.", running.Exception);
        }
        return new SmtpSink(server, running, stop, inbox, await bound.Task);
    }

    // The oldest mail to this address with this subject that no earlier call returned, waiting
    // for it (the app sends from its outbox in the background) up to the timeout (default 60 s).
    public async Task<MimeMessage> WaitForMailAsync(string to, string subject, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            return await _inbox.TakeAsync(
                mail => mail.Subject == subject && mail.To.Mailboxes.Any(box => string.Equals(box.Address, to, StringComparison.OrdinalIgnoreCase)),
                limit.Token);
        }
        catch (OperationCanceledException)
        {
            var seen = string.Join("\n", Messages.Select(mail => $"  to {string.Join(", ", mail.To.Mailboxes.Select(box => box.Address))}: {mail.Subject}"));
            throw new TimeoutException($"No mail to {to} with the subject \"{subject}\" within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds:F0} s. Received:\n{seen}");
        }
    }

    // The one absolute link of the mail's text body whose path is path (the mail puts each link
    // on its own line).
    public static Uri LinkIn(MimeMessage mail, string path)
    {
        var links = Link().Matches(mail.TextBody ?? "")
            .Select(match => new Uri(match.Value))
            .Where(link => link.AbsolutePath == path)
            .ToList();
        Assert.True(links.Count == 1, $"Expected one link to {path} in \"{mail.Subject}\":\n{mail.TextBody}");
        return links[0];
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException)
        {
            // Stopped, or a client still connected: the process ends with the test run.
        }
        _stop.Dispose();
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();

    // SmtpServer's message store: the parsed messages, and a signal for those who wait.
    private sealed class Inbox : MessageStore
    {
        private readonly List<MimeMessage> _messages = [];
        private readonly HashSet<MimeMessage> _taken = [];
        private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            TaskCompletionSource arrived;
            lock (_messages)
            {
                _messages.Add(message);
                arrived = _arrived;
                _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            arrived.TrySetResult();
            return SmtpResponse.Ok;
        }

        public IReadOnlyList<MimeMessage> All()
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }

        public async Task<MimeMessage> TakeAsync(Func<MimeMessage, bool> matches, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task arrived;
                lock (_messages)
                {
                    var found = _messages.FirstOrDefault(message => !_taken.Contains(message) && matches(message));
                    if (found is not null)
                    {
                        _taken.Add(found);
                        return found;
                    }
                    arrived = _arrived.Task;
                }
                await arrived.WaitAsync(cancellationToken);
            }
        }
    }
}
