using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ModularUsersApp.Pages.Email;

// Where OutboxSender hands mail: the SMTP server, or in Development without one, the log and
// the /Email/DevMail page.
public interface IMailDelivery
{
    Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken);
}

public class SmtpDelivery(IOptions<EmailOptions> options) : IMailDelivery
{
    public async Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient
        {
            Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds,
            CheckCertificateRevocation = smtp.CheckCertificateRevocation,
        };
        if (smtp.CertificateThumbprint is { Length: > 0 } thumbprint)
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is not null && IsPinned(certificate, thumbprint));
        }
        var security = smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(smtp.Host ?? "", smtp.PortOrDefault, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private static bool IsPinned(X509Certificate certificate, string thumbprint) =>
        string.Equals(Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())), thumbprint, StringComparison.OrdinalIgnoreCase);
}

// Development without Email:Smtp:Host: mail goes to the app's log and to /Email/DevMail, so that
// registration, resets and confirmations work on a developer's machine with no mail server.
// Kept in memory only: the last 100 mails, lost at restart.
public class DevelopmentMailbox(ILogger<DevelopmentMailbox> logger, TimeProvider time) : IMailDelivery
{
    private const int Capacity = 100;
    private readonly ConcurrentQueue<DeliveredMail> _mails = new();

    public IReadOnlyList<DeliveredMail> Newest => _mails.Reverse().ToList();

    public Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var mail = new DeliveredMail(message.To.ToString(), message.Subject ?? "", message.TextBody ?? "", time.GetUtcNow().UtcDateTime);
        _mails.Enqueue(mail);
        while (_mails.Count > Capacity && _mails.TryDequeue(out _))
        {
        }
        Log.DeliveredToDevelopmentMailbox(logger, mail.To, mail.Subject, mail.Text);
        return Task.CompletedTask;
    }
}

public record DeliveredMail(string To, string Subject, string Text, DateTime SentAt);
