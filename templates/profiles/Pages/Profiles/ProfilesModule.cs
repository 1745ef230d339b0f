using ModularUsersApp.Pages.Accounts;
using ModularUsersApp.Pages.Accounts.Users;
using ModularUsersApp.Pages.Profiles;

// In this namespace so that Program.cs needs no using for the one line:
// builder.Services.AddProfiles(builder.Configuration);
namespace Microsoft.Extensions.DependencyInjection;

public static class ProfilesModule
{
    public static IServiceCollection AddProfiles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProfilesOptions>().Bind(configuration.GetSection(ProfilesOptions.Section));
        services.AddScoped<UserProfiles>();
        services.AddScoped<IUserEvents>(provider => provider.GetRequiredService<UserProfiles>());
        services.AddScoped<IUserAdminPart, ProfilesAdminPart>();
        return services;
    }
}
