namespace ModularUsersApp.Pages.Accounts;

// dotnet run -- help
// Lists the commands every module registered (AddCommandLineCommand), one line each. Like every
// command it runs once the app has started, so the database checks come first.
public class HelpCommand(
    IEnumerable<CommandLineCommandHelp> commands,
    IHostApplicationLifetime lifetime,
    ILogger<HelpCommand> logger) : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "help";
    public const string Arguments = "";
    public const string Summary = "lists these commands";

    protected override string Name => CommandName;

    protected override Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var listed = commands.ToList();
        var width = listed.Max(command => $"{command.Name} {command.Arguments}".TrimEnd().Length);
        Console.WriteLine("Commands: dotnet run -- <command> [arguments]; without a command the web server starts.");
        Console.WriteLine();
        foreach (var command in listed)
        {
            Console.WriteLine($"  {$"{command.Name} {command.Arguments}".TrimEnd().PadRight(width)}   {command.Summary}");
        }
        return Task.FromResult(0);
    }
}
