using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;
using ModularUsersApp.Pages.Email;

// In this namespace so that Program.cs needs no using for the one line:
// builder.Services.AddEmail(builder.Configuration);
namespace Microsoft.Extensions.DependencyInjection;

public static class EmailModule
{
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsCheck>();
        services.AddOptions<AppSettings>().Bind(configuration.GetSection(AppSettings.Section));

        // Outside Development the start-up check requires Email:Smtp:Host, so the Development
        // mailbox never takes real mail.
        services.AddSingleton<DevelopmentMailbox>();
        services.AddSingleton<IMailDelivery>(provider =>
            string.IsNullOrWhiteSpace(provider.GetRequiredService<IOptions<EmailOptions>>().Value.Smtp.Host)
                ? provider.GetRequiredService<DevelopmentMailbox>()
                : ActivatorUtilities.CreateInstance<SmtpDelivery>(provider));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<PublicLinks>();
        services.AddScoped<EmailOutbox>();
        services.AddScoped<EmailTokens>();
        services.AddScoped<AccountMails>();
        services.AddScoped<PasswordReset>();
        services.AddScoped<EmailChange>();
        services.AddScoped<EmailConfirmation>();
        services.AddScoped<IRegistrationGate>(provider => provider.GetRequiredService<EmailConfirmation>());
        services.AddScoped<ISignInChallenge>(provider => provider.GetRequiredService<EmailConfirmation>());
        services.AddScoped<IUserEvents, SecurityNotifications>();
        services.AddScoped<IUserMail, UserNoticeMail>();
        services.AddScoped<IUserAdminPart, EmailAdminPart>();
        services.AddHostedService<OutboxSender>();

        services.AddSingleton(new AccountLink("Forgot your password?", "/Email/ForgotPassword", AccountLinkPlace.SignInPage));
        services.AddSingleton(new AccountLink("Change email", "/Email/ChangeEmail", AccountLinkPlace.UserMenu));
        services.AddCommandLineCommand<SendPasswordResetCommand>(SendPasswordResetCommand.CommandName, SendPasswordResetCommand.Arguments, SendPasswordResetCommand.Summary);
        return services;
    }
}
