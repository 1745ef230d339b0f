namespace ModularUsersApp.Pages.Accounts;

// Mail to a user from a module that has something to tell them (a sign-in from a new browser)
// without depending on how mail is sent. The email module implements it: the mail is queued in
// its outbox and saved with the caller's SaveChangesAsync. Without that module nothing is
// registered, so ask for IEnumerable<IUserMail> (or GetService) and skip the mail.
public interface IUserMail
{
    void Queue(User user, UserNotice notice);
}

// Kind: a short name for the mail, kept with it ("NewDeviceSignIn"). Paragraphs: plain text.
// LinkPage: a page of this app ("/Sessions"), made into a link from App:PublicBaseUrl.
public record UserNotice(string Kind, string Subject, IReadOnlyList<string> Paragraphs, string? LinkPage = null, string? LinkText = null);
