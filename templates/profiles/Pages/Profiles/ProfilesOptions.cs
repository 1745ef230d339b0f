namespace ModularUsersApp.Pages.Profiles;

// Bound from the "Profiles" section of configuration.
public class ProfilesOptions
{
    public const string Section = "Profiles";

    // Serve /Profiles/{display name or id} to everyone. Never shows the email address.
    public bool PublicProfiles { get; set; }
}
