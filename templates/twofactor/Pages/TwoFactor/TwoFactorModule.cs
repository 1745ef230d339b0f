using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;
using ModularUsersApp.Pages.TwoFactor;

// In this namespace so that Program.cs needs no using for the one line:
// builder.Services.AddTwoFactor(builder.Configuration);
namespace Microsoft.Extensions.DependencyInjection;

public static class TwoFactorModule
{
    public static IServiceCollection AddTwoFactor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TwoFactorOptions>()
            .Bind(configuration.GetSection(TwoFactorOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<TwoFactorService>();
        services.AddScoped<ISignInChallenge, TwoFactorChallenge>();
        services.AddScoped<IUserAdminPart, TwoFactorAdminPart>();
        services.AddScoped<IUserListFilter, TwoFactorUserListFilter>();
        return services;
    }
}
