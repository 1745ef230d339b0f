namespace ModularUsersApp.Pages.Sessions;

// What this module tells other modules (IUserEvents.ModuleEventAsync); the logs module records them.
public static class SessionEvents
{
    // The user signed out one of their other browsers from /Sessions.
    public const string SessionEnded = "SessionEnded";
    public const string OtherSessionsEnded = "OtherSessionsEnded";
    // Detail names the admin.
    public const string SessionEndedByAdmin = "SessionEndedByAdmin";
    public const string AllSessionsEndedByAdmin = "AllSessionsEndedByAdmin";
}

// Why a session ended when this module ended it; accounts' SessionEndReasons has the others.
public static class SessionsEndReasons
{
    public const string EndedByUser = "EndedByUser";
    public const string EndedByAdmin = "EndedByAdmin";
}
