using System.Net;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

public enum PostLimit
{
    // AccountsOptions.RegistrationLimit per RegistrationWindow.
    Registration,
    // AccountsOptions.SignInLimit per SignInWindow: the sign-in form.
    SignIn,
    // AccountsOptions.FormPostLimit per FormPostWindow: sign-in steps, secrets asked again.
    TypedSecrets,
}

// On a page model: its POSTs are limited per client address (an IPv6 client: its /64). Beyond
// the limit the handler does not run and the answer is the 429 page (TryAgainLater.cshtml).
[AttributeUsage(AttributeTargets.Class)]
public sealed class LimitPostsPerAddressAttribute(PostLimit limit) : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method)
            && !http.RequestServices.GetRequiredService<PostRateLimits>().TryAcquire(limit, http.Connection.RemoteIpAddress, out var retryAfter))
        {
            context.Result = TryAgainLaterModel.Result(http, context.ModelState, StatusCodes.Status429TooManyRequests, retryAfter,
                "Too many requests", "Too many requests from your network in a short time. Wait a little, then try again.");
            return;
        }
        await next();
    }
}

// One fixed window per client address and kind of page, on the app's clock, with a hard cap on
// the addresses kept (FixedWindowCounters). Every post counts, refused ones included.
public sealed class PostRateLimits(IOptions<AccountsOptions> options, TimeProvider time, ILogger<PostRateLimits> logger)
{
    private readonly FixedWindowCounters _registration = new(options.Value.RegistrationLimit, options.Value.RegistrationWindow, time);
    private readonly FixedWindowCounters _signIn = new(options.Value.SignInLimit, options.Value.SignInWindow, time);
    private readonly FixedWindowCounters _typedSecrets = new(options.Value.FormPostLimit, options.Value.FormPostWindow, time);

    // How many addresses are being counted now for this kind of page (at most FixedWindowCounters.MaxKeys).
    public int Count(PostLimit limit) => CountersFor(limit).Count;

    public bool TryAcquire(PostLimit limit, IPAddress? ip, out TimeSpan retryAfter)
    {
        if (CountersFor(limit).TryCount(ClientAddress.KeyOf(ip), out retryAfter, out var firstRefusal))
        {
            return true;
        }
        if (firstRefusal)
        {
            // Once per address and window: a client hammering the page cannot flood the log.
            Log.PostsLimited(logger, limit, ip);
        }
        return false;
    }

    private FixedWindowCounters CountersFor(PostLimit limit) => limit switch
    {
        PostLimit.Registration => _registration,
        PostLimit.SignIn => _signIn,
        _ => _typedSecrets,
    };
}
