namespace ModularUsersApp.Pages.Profiles;

// Bound from the "Profiles" section of configuration.
public class ProfilesOptions
{
    public const string Section = "Profiles";

    // Serve /Profiles/{handle} to everyone, for the users who chose a handle. Never shows the
    // email address.
    public bool PublicProfiles { get; set; }
}
