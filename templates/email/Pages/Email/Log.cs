namespace ModularUsersApp.Pages.Email;

// Event ids 1400-1499 belong to the email module.
internal static partial class Log
{
    [LoggerMessage(1400, LogLevel.Information, "Mail to {To} (Development mailbox, see /Email/DevMail): {Subject}\n{Text}")]
    public static partial void DeliveredToDevelopmentMailbox(ILogger logger, string to, string subject, string text);

    [LoggerMessage(1401, LogLevel.Warning, "Could not send mail {MailId} (attempt {Attempts}); trying again at {NextAttemptAt:u}")]
    public static partial void SendFailed(ILogger logger, Guid mailId, int attempts, DateTime nextAttemptAt, Exception exception);

    [LoggerMessage(1402, LogLevel.Error, "Gave up sending mail {MailId} ({Kind}) after {Attempts} attempt(s)")]
    public static partial void GaveUp(ILogger logger, Guid mailId, string kind, int attempts, Exception exception);

    [LoggerMessage(1403, LogLevel.Error, "The outbox sender failed; it tries again at the next poll")]
    public static partial void SenderFailed(ILogger logger, Exception exception);

    [LoggerMessage(1404, LogLevel.Information, "Mail {MailId} ({Kind}) sent")]
    public static partial void Sent(ILogger logger, Guid mailId, string kind);
}
