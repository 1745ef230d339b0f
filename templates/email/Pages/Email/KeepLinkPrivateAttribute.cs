using Microsoft.AspNetCore.Mvc.Filters;

namespace ModularUsersApp.Pages.Email;

// On pages opened from a mailed link: the link's token must not leave in the Referer header of
// requests the page makes, nor be kept by a shared cache or the browser's back-forward cache.
[AttributeUsage(AttributeTargets.Class)]
public sealed class KeepLinkPrivateAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return next();
    }
}
