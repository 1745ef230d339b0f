namespace ModularUsersApp.Pages.Accounts;

// A link another module adds to the accounts pages, such as "Forgot your password?" under the
// sign-in form. Register with services.AddSingleton(new AccountLink("Text", "/Module/Page", AccountLinkPlace.SignInPage)).
public record AccountLink(string Text, string Page, AccountLinkPlace Place);

public enum AccountLinkPlace
{
    // Under the sign-in form.
    SignInPage,
    // In the signed-in user's menu (_AccountsNav.cshtml), after "Change password".
    UserMenu,
    // In the same menu for admins only, after "Users".
    AdminMenu,
}

// A page of another module that lists what one request did, given the request's trace id, such
// as the logs module's account events of that request. Pages that show a trace id (the audit
// module's) link to each one registered:
// services.AddSingleton(new TraceLink("Text", "/Module/Page", "QueryParameter")).
public record TraceLink(string Text, string Page, string TraceParameter)
{
    public Dictionary<string, string> RouteValues(string traceId) => new() { [TraceParameter] = traceId };
}
