using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Mail that other modules send through accounts' IUserMail (the sessions module's new-device
// notice), queued in the outbox with the caller's change. Their words are theirs; the link is
// made from App:PublicBaseUrl like every other link in mail.
public class UserNoticeMail(EmailOutbox outbox, PublicLinks links) : IUserMail
{
    public void Queue(User user, UserNotice notice) => outbox.Queue(new Mail(
        notice.Kind, user.Email, notice.Subject, notice.Paragraphs,
        notice.LinkPage is null ? null : links.Page(notice.LinkPage),
        notice.LinkPage is null ? null : notice.LinkText ?? links.SiteName));
}
