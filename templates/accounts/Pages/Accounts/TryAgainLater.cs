using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ModularUsersApp.Pages.Accounts;

// What TryAgainLater.cshtml shows: a 429 when a client address sent too many posts
// (LimitPostsPerAddressAttribute), a 503 when too many passwords are being checked at once
// (PasswordHasherBusyFilter). Both say when to come back (Retry-After).
public record TryAgainLaterModel(string Title, string Message, int RetryAfterSeconds)
{
    public static IActionResult Result(HttpContext context, ModelStateDictionary modelState, int statusCode, TimeSpan retryAfter, string title, string message)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var metadata = context.RequestServices.GetRequiredService<IModelMetadataProvider>();
        return new ViewResult
        {
            ViewName = "/Pages/Accounts/TryAgainLater.cshtml",
            StatusCode = statusCode,
            ViewData = new ViewDataDictionary<TryAgainLaterModel>(metadata, modelState)
            {
                Model = new TryAgainLaterModel(title, message, seconds),
            },
        };
    }
}
