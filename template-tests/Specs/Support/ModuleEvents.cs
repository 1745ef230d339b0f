using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Specs.Support;

// The module events an app raised (IUserEvents.ModuleEventAsync), in order.
public sealed class ModuleEvents
{
    private readonly ConcurrentQueue<ModuleEvent> _events = new();

    public IReadOnlyList<ModuleEvent> All => _events.ToList();

    public IEnumerable<ModuleEvent> Named(string name) => _events.Where(e => e.Name == name);

    public void Register(IServiceCollection services) => services.AddScoped<IUserEvents>(_ => new Handler(this));

    private sealed class Handler(ModuleEvents recorded) : IUserEvents
    {
        public Task ModuleEventAsync(ModuleEvent moduleEvent, CancellationToken cancellationToken)
        {
            recorded._events.Enqueue(moduleEvent);
            return Task.CompletedTask;
        }
    }
}
