using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Accounts;

// The extension point two-factor authentication plugs into: after the password, a registered
// ISignInChallenge can ask for a step; the session starts only when the step completes.
public class SignInChallengeSpecs : IAsyncLifetime
{
    private const string StepPage = "/Accounts/AccessDenied";
    private const string CompleteStep = "/specs/complete-step";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(services: services =>
    {
        services.AddScoped<ISignInChallenge, ChallengeEveryone>();
        services.AddSingleton<IStartupFilter, CompleteStepEndpoint>();
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_session_starts_only_after_the_step_completes()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("stepper@example.com");
        Assert.False(await browser.IsSignedInAsync());

        var signIn = await browser.SignInAsync("stepper@example.com", returnUrl: "/Accounts/ChangePassword");

        Assert.Equal($"{StepPage}?returnUrl=%2FAccounts%2FChangePassword", signIn.Headers.Location!.OriginalString);
        Assert.False(await browser.IsSignedInAsync());

        var completed = await browser.Client.PostAsync(CompleteStep, null);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal("stepper@example.com", await completed.Content.ReadAsStringAsync());
        Assert.True(await browser.IsSignedInAsync());
        var session = await _app.QueryAsync(db => db.UserSessions.SingleAsync(s => s.EndedAt == null));
        Assert.Equal(SignInMethods.PasswordAnd("SpecsStep"), session.SignInMethod);
    }

    [Fact]
    public async Task Without_the_password_step_there_is_nothing_to_complete()
    {
        using var browser = _app.NewBrowser();

        var completed = await browser.Client.PostAsync(CompleteStep, null);

        Assert.Equal(HttpStatusCode.Unauthorized, completed.StatusCode);
        Assert.False(await browser.IsSignedInAsync());
    }

    private sealed class ChallengeEveryone : ISignInChallenge
    {
        public Task<string?> GetStepPageAsync(User user, CancellationToken cancellationToken) => Task.FromResult<string?>(StepPage);
    }

    // Stands in for a step page such as /TwoFactor/Verify.
    private sealed class CompleteStepEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // MapWhen, not Map: the cookie path must stay "/", as for a real page.
            app.MapWhen(context => context.Request.Path == CompleteStep, step => step.Run(async context =>
            {
                var signIn = context.RequestServices.GetRequiredService<UserSignIn>();
                if (await signIn.GetPendingAsync(context.RequestAborted) is not { } pending)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
                await signIn.CompleteAsync(pending, "SpecsStep", context.RequestAborted);
                await context.Response.WriteAsync(pending.User.Email);
            }));
            next(app);
        };
    }
}
