using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MimeKit;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Bound from the "Email" section of configuration, checked at start-up (EmailOptionsCheck).
public class EmailOptions
{
    public const string Section = "Email";

    // The sender of every mail, "Shop <noreply@shop.example>" or an address. Required outside
    // Development.
    public string? From { get; set; }

    public SmtpSettings Smtp { get; set; } = new();

    // New accounts confirm their address by a link before their first sign-in. Accounts that
    // existed before the email module was added are not asked.
    public bool RequireConfirmedEmail { get; set; } = true;

    // Mail the user when their password, email address or two-factor settings change.
    public bool SecurityNotifications { get; set; } = true;

    // A reset asked for an address no account has gets a mail saying so (the page's answer is
    // the same either way, so only the mailbox's owner learns it).
    public bool MailUnknownAccounts { get; set; } = true;

    [TimeSpanRange("00:05:00", "1.00:00:00")]
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    [TimeSpanRange("00:05:00", "30.00:00:00")]
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromDays(1);

    [TimeSpanRange("00:05:00", "7.00:00:00")]
    public TimeSpan EmailChangeLifetime { get; set; } = TimeSpan.FromDays(1);

    // A new confirmation link is sent at most once per ResendCooldown.
    [TimeSpanRange("00:00:00", "1.00:00:00")]
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromMinutes(3);

    // Mails about resets and email changes sent to one address per RequestWindow; more requests
    // get the same answer and no mail, so nobody can flood a mailbox from the forms.
    [Range(1, 1000)]
    public int RequestsPerAddress { get; set; } = 5;

    [TimeSpanRange("00:01:00", "1.00:00:00")]
    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromHours(1);

    // How often the sender looks for mail that another instance queued and could not send. Mail
    // is sent at once after the save that queued it, and retried when its next attempt is due.
    [TimeSpanRange("00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    // Sent mail (its address, subject and time; the body is gone once sent) and used or
    // expired links are deleted after this many days.
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    // A mail that could not be sent for this long is given up (the app log says so).
    [TimeSpanRange("00:01:00", "30.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(2);
}

public class SmtpSettings
{
    // Empty in Development: mails go to the log and to /Email/DevMail instead.
    public string? Host { get; set; }

    // 0: the usual port for Security (25, 587 or 465).
    public int Port { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }

    // Keep it out of appsettings.json: dotnet user-secrets, or the Email__Smtp__Password environment variable.
    public string? Password { get; set; }

    // Off only for a server whose certificate authority publishes no revocation list reachable from here.
    public bool CheckCertificateRevocation { get; set; } = true;

    // The SHA-256 thumbprint (hex) of a server certificate to accept although no trusted
    // authority signed it, for an internal relay with a self-signed certificate.
    public string? CertificateThumbprint { get; set; }

    public int PortOrDefault => Port != 0 ? Port : Security switch
    {
        SmtpSecurity.None => 25,
        SmtpSecurity.SslOnConnect => 465,
        _ => 587,
    };
}

public enum SmtpSecurity
{
    // Plain text: only for a relay on this machine or a test server.
    None,
    StartTls,
    SslOnConnect,
}

// "App" section: where the app is reachable from its users' browsers.
public class AppSettings
{
    public const string Section = "App";

    // For example https://shop.example: every link in mail starts with it, never with the Host
    // header of the request that caused the mail (anyone can forge that). Required outside Development.
    public string? PublicBaseUrl { get; set; }
}

// What DataAnnotations cannot say: which settings Development may leave out.
public class EmailOptionsCheck(IHostEnvironment environment, IOptions<AppSettings> app) : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new List<string>();
        var development = environment.IsDevelopment();
        if (string.IsNullOrWhiteSpace(options.From))
        {
            if (!development)
            {
                errors.Add("Email:From is required outside Development, for example \"Shop <noreply@shop.example>\".");
            }
        }
        else if (!MailboxAddress.TryParse(options.From, out _))
        {
            errors.Add($"Email:From \"{options.From}\" is not an email address.");
        }
        if (string.IsNullOrWhiteSpace(options.Smtp.Host) && !development)
        {
            errors.Add("Email:Smtp:Host is required outside Development (the SMTP server that sends the app's mail).");
        }
        if (options.Smtp.Port is < 0 or > 65535)
        {
            errors.Add($"Email:Smtp:Port {options.Smtp.Port} is not a port number (1 to 65535, or 0 for the usual port).");
        }
        if (string.IsNullOrEmpty(options.Smtp.UserName) != string.IsNullOrEmpty(options.Smtp.Password))
        {
            errors.Add("Email:Smtp:UserName and Email:Smtp:Password go together: set both, or neither.");
        }
        if (options.Smtp.CertificateThumbprint is { Length: > 0 } thumbprint && (thumbprint.Length != 64 || !thumbprint.All(char.IsAsciiHexDigit)))
        {
            errors.Add("Email:Smtp:CertificateThumbprint must be the certificate's SHA-256 thumbprint: 64 hex digits.");
        }
        var baseUrl = app.Value.PublicBaseUrl;
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            if (!development)
            {
                errors.Add("App:PublicBaseUrl is required outside Development: the address of the app in links sent by mail, for example https://shop.example.");
            }
        }
        else if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            errors.Add($"App:PublicBaseUrl \"{baseUrl}\" must be an absolute http or https address without query, for example https://shop.example.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
