using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Pki;
using NremNet.Node;
using NremNet.Node.Audit;
using NremNet.Node.Storage;
using NremNet.Node.Users;

namespace NremNet.Console.Tests.Users;

/// <summary>Console sessions as the node keeps them: idle and absolute expiry on a fake clock, logout, disabled accounts, and no mixing with API tokens.</summary>
public sealed class ConsoleSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("nremnet-console-sessions-").FullName;
    private ServiceProvider _services = null!;
    private UserStore _users = null!;

    public async ValueTask InitializeAsync()
    {
        var authority = NetworkCertificates.CreateAuthority("session test CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(2));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddOptions<NodeOptions>().Configure(o =>
        {
            o.Country = "NL";
            o.DataDirectory = _folder;
        });
        services.AddSingleton(new AuditKey(NetworkCertificates.IssueNode(authority, "NL", ["localhost"], DateTimeOffset.UtcNow, TimeSpan.FromDays(1))));
        services.AddNodeStorage().AddAudit().AddUsers();
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<NodeDatabase>().MigrateAsync(CancellationToken.None);
        _users = _services.GetRequiredService<UserStore>();
        await _users.AddAsync("test", "rita", "Rita (synthetic)", [Role.Rapporteur], "a-long-password-1", CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Session_SlidesWhileUsed_AndEndsAfterIdleTimeout()
    {
        var (_, secret) = await _users.OpenConsoleSessionAsync("rita", "a-long-password-1", Lifetime, "test", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.NotNull((await ResumeAsync(secret)).Session);
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.NotNull((await ResumeAsync(secret)).Session);
        _time.Advance(Idle);
        var (session, problem) = await ResumeAsync(secret);
        Assert.Null(session);
        Assert.Contains("idle", problem, StringComparison.Ordinal);

        // Ended for good, even if asked again before another idle period would have passed.
        Assert.Contains("ended", (await ResumeAsync(secret)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_EndsAtItsLifetime_HoweverBusy()
    {
        var (opened, secret) = await _users.OpenConsoleSessionAsync("rita", "a-long-password-1", Lifetime, "test", CancellationToken.None);
        Assert.Equal(_time.GetUtcNow() + Lifetime, opened.ExpiresAt);
        for (var elapsed = TimeSpan.Zero; elapsed < Lifetime - TimeSpan.FromMinutes(20); elapsed += TimeSpan.FromMinutes(20))
        {
            _time.Advance(TimeSpan.FromMinutes(20));
            Assert.NotNull((await ResumeAsync(secret)).Session);
        }

        _time.Advance(TimeSpan.FromMinutes(20));
        var (session, problem) = await ResumeAsync(secret);
        Assert.Null(session);
        Assert.Contains("expired", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_AndDisabling_EndTheSession_AndTheNextLoginRemembersTheLastVisit()
    {
        var (first, secret) = await _users.OpenConsoleSessionAsync("rita", "a-long-password-1", Lifetime, "test", CancellationToken.None);
        Assert.Null(first.PreviousVisitAt);
        _time.Advance(TimeSpan.FromMinutes(5));
        await ResumeAsync(secret);
        await _users.EndConsoleSessionAsync(first.Id, "rita", "test", CancellationToken.None);
        Assert.Null((await ResumeAsync(secret)).Session);

        var (second, again) = await _users.OpenConsoleSessionAsync("rita", "a-long-password-1", Lifetime, "test", CancellationToken.None);
        Assert.Equal(first.CreatedAt + TimeSpan.FromMinutes(5), second.PreviousVisitAt);
        await _users.DisableAsync("test", "rita", "left the office", CancellationToken.None);
        Assert.Null((await ResumeAsync(again)).Session);
        await Assert.ThrowsAsync<UserRefusedException>(() => _users.OpenConsoleSessionAsync("rita", "a-long-password-1", Lifetime, "test", CancellationToken.None));

        var audit = _services.GetRequiredService<AuditLog>();
        Assert.Single(await audit.ListAsync(100, 0, "console.logout", CancellationToken.None));
        Assert.Equal(3, (await audit.ListAsync(100, 0, "console.login", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task SessionSecrets_AndApiTokens_AreNotTakenForEachOther()
    {
        var (_, secret) = await _users.OpenConsoleSessionAsync("rita", "a-long-password-1", Lifetime, "test", CancellationToken.None);
        var (_, _, token) = await _users.LoginAsync("rita", "a-long-password-1", "cli", TimeSpan.FromHours(1), "test", CancellationToken.None);
        Assert.Null((await _users.AuthenticateAsync(secret, CancellationToken.None)).Principal);
        Assert.Null((await ResumeAsync(token)).Session);
        Assert.Null((await ResumeAsync(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'))).Session);
        Assert.NotNull((await ResumeAsync(secret)).Session);
    }

    [Theory]
    [InlineData("/network?tab=peers", "/network?tab=peers")]
    [InlineData("/", "/")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/a\\b", "/")]
    [InlineData("/login?returnUrl=/x", "/")]
    [InlineData("network", "/")]
    public void ReturnUrl_OnlyPathsOfThisConsole(string? asked, string expected) =>
        Assert.Equal(expected, NremNet.Node.Console.ConsoleReturnUrl.Safe(asked));

    private Task<(ConsoleSession? Session, string Problem)> ResumeAsync(string secret) =>
        _users.ResumeConsoleSessionAsync(secret, Idle, CancellationToken.None);
}
