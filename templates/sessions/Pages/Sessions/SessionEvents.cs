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

// Why a session ended when it was signed out from these pages, in another browser (the
// UserSession.EndReason values); accounts' SessionEndReasons has the others.
public static class EndedElsewhere
{
    public const string ByUser = "EndedByUser";
    public const string ByAdmin = "EndedByAdmin";
}
