using System.Linq.Expressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace ModularUsersApp.Pages.Accounts;

// For a form field: aria-invalid="@Html.AriaInvalidFor(m => m.Input.Email)" is "true" when the
// field has an error, so a screen reader says so, and is left out otherwise. The message itself
// is tied to the field by aria-describedby="email-error" and id="email-error" on its
// asp-validation-for span.
public static class AriaInvalid
{
    public static string? AriaInvalidFor<TModel, TResult>(this IHtmlHelper<TModel> html, Expression<Func<TModel, TResult>> field) =>
        html.ViewData.ModelState.GetFieldValidationState(html.NameFor(field)) == ModelValidationState.Invalid ? "true" : null;
}
