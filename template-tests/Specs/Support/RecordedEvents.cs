using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Specs.Support;

// The account events an app raised, for specs that count what the app decided:
// await using var app = await TestApp.StartAsync(services: events.Register);
public sealed class RecordedEvents
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> All => _events.ToList();

    public int Count(string name) => _events.Count(e => e == name);

    public void Register(IServiceCollection services) => services.AddScoped<IUserEvents>(_ => new Handler(this));

    private sealed class Handler(RecordedEvents recorded) : IUserEvents
    {
        public Task SignInFailedAsync(string email, User? user, SignInFailureReason reason, CancellationToken cancellationToken) =>
            Add($"SignInFailed:{reason}");

        public Task ReauthenticationFailedAsync(User user, bool lockedOut, CancellationToken cancellationToken) =>
            Add(lockedOut ? "ReauthenticationFailed:LockedOut" : "ReauthenticationFailed:WrongAnswer");

        public Task LockedOutAsync(User user, CancellationToken cancellationToken) => Add("LockedOut");

        public Task PasswordVerifiedAsync(User user, CancellationToken cancellationToken) => Add("PasswordVerified");

        public Task SignedInAsync(User user, UserSession session, CancellationToken cancellationToken) => Add($"SignedIn:{session.SignInMethod}");

        private Task Add(string name)
        {
            recorded._events.Enqueue(name);
            return Task.CompletedTask;
        }
    }
}
