using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Cli.Statistics;
using NremNet.Cli.Tests.Infrastructure;

namespace NremNet.Cli.Tests.Statistics;

public sealed class RapporteurProfileTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ProfileStore _store;

    public RapporteurProfileTests()
    {
        _store = new ProfileStore(_folder.Combine("profiles.json"));

        // As 'federation up' saves them: another node's rapporteur first, the current profile NL's admin.
        _store.Upsert(Profile("BG-rapporteur", "BG", "rapporteur"), makeCurrent: false);
        _store.Upsert(Profile("NL-admin", "NL", "admin"), makeCurrent: true);
        _store.Upsert(Profile("SE-rapporteur", "SE", "rapporteur"), makeCurrent: false);
        _store.Upsert(Profile("NL-rapporteur", "NL", "rapporteur"), makeCurrent: false);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Choose_NoFlags_CurrentIsAnAdmin_UsesTheRapporteurOfTheCurrentNode() =>
        Assert.Equal("NL-rapporteur", RapporteurProfile.Choose(_store, null, null).Name);

    [Fact]
    public void Choose_NoFlags_CurrentIsARapporteur_UsesIt()
    {
        _store.Save(_store.Load() with { Current = "SE-rapporteur" });

        Assert.Equal("SE-rapporteur", RapporteurProfile.Choose(_store, null, null).Name);
    }

    [Fact]
    public void Choose_Node_UsesARapporteurProfileOfThatNode() =>
        Assert.Equal("SE-rapporteur", RapporteurProfile.Choose(_store, null, "se").Name);

    [Fact]
    public void Choose_Profile_UsesItAsNamed() =>
        Assert.Equal("NL-admin", RapporteurProfile.Choose(_store, "nl-admin", null).Name);

    [Fact]
    public void Choose_CurrentNodeHasNoRapporteur_SaysToLogInAsOne()
    {
        _store.Save(_store.Load() with { Profiles = [.. _store.Load().Profiles.Where(p => p.Name != "NL-rapporteur")] });

        var error = Assert.Throws<CliException>(() => RapporteurProfile.Choose(_store, null, null));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.Contains("node NL", error.Message, StringComparison.Ordinal);
        Assert.Contains("rapporteur", error.Message, StringComparison.Ordinal);
    }

    private Profile Profile(string name, string node, string role) => new()
    {
        Name = name,
        Node = node,
        Url = "https://127.0.0.1:1",
        Roles = [role],
        Username = role,
        Token = "token",
        CaFile = _folder.Combine("ca.crt"),
        Demo = true,
    };
}
