using Npgsql;

namespace Specs.Support;

// A new empty database for one TestApp: a SQLite file, or a PostgreSQL database that is dropped afterwards.
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _postgresName;
    private readonly string? _sqliteFile;

    private TestDatabase(string connectionString, string? postgresName, string? sqliteFile)
    {
        ConnectionString = connectionString;
        _postgresName = postgresName;
        _sqliteFile = sqliteFile;
    }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        if (SpecsEnvironment.Database == "postgres")
        {
            var admin = SpecsEnvironment.PostgresAdmin
                ?? throw new InvalidOperationException("SPECS_DB=postgres needs SPECS_POSTGRES, a connection string that may create databases.");
            var name = $"specs_{Guid.NewGuid():N}";
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await command.ExecuteNonQueryAsync();
            }
            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false };
            return new TestDatabase(builder.ConnectionString, name, null);
        }
        var file = Path.Combine(Path.GetTempPath(), $"specs-{Guid.NewGuid():N}.db");
        return new TestDatabase($"Data Source={file};Pooling=False", null, file);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            await using var connection = new NpgsqlConnection(SpecsEnvironment.PostgresAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        if (_sqliteFile is not null)
        {
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
