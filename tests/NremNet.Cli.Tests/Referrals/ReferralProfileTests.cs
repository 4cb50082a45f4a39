using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Cli.Referrals;
using NremNet.Cli.Tests.Infrastructure;

namespace NremNet.Cli.Tests.Referrals;

public sealed class ReferralProfileTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ProfileStore _store;

    public ReferralProfileTests()
    {
        _store = new ProfileStore(_folder.Combine("profiles.json"));

        // As 'federation up' saves them (names COUNTRY-role): the current profile NL's admin.
        foreach (var country in new[] { "NL", "SE" })
        {
            foreach (var role in new[] { "admin", "rapporteur", "referral_officer" })
            {
                _store.Upsert(Profile($"{country}-{role}", country, role), makeCurrent: country == "NL" && role == "admin");
            }
        }
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Choose_NoFlags_CurrentIsNlAdmin_UsesNlReferralOfficer() =>
        Assert.Equal("NL-referral_officer", ReferralProfile.Choose(_store, null, null).Name);

    [Fact]
    public void Choose_NoFlags_CurrentIsSeAdmin_UsesTheOfficerOfTheCurrentNode()
    {
        _store.Save(_store.Load() with { Current = "SE-admin" });

        Assert.Equal("SE-referral_officer", ReferralProfile.Choose(_store, null, null).Name);
    }

    [Fact]
    public void Choose_Node_UsesTheReferralOfficerOfThatNode() =>
        Assert.Equal("SE-referral_officer", ReferralProfile.Choose(_store, null, "se").Name);

    [Fact]
    public void Choose_Profile_UsesItAsNamed() =>
        Assert.Equal("SE-admin", ReferralProfile.Choose(_store, "se-admin", null).Name);

    [Fact]
    public void Choose_NodeWithoutOfficer_SaysToLogInAsOne()
    {
        _store.Save(_store.Load() with { Profiles = [.. _store.Load().Profiles.Where(p => p.Name != "SE-referral_officer")] });

        var error = Assert.Throws<CliException>(() => ReferralProfile.Choose(_store, null, "SE"));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.Contains("referral_officer", error.Message, StringComparison.Ordinal);
    }

    private Profile Profile(string name, string node, string role) => new()
    {
        Name = name,
        Node = node,
        Url = "https://127.0.0.1:1",
        Roles = [role],
        Username = name.ToLowerInvariant(),
        Token = "token-" + name,
        CaFile = _folder.Combine("ca.crt"),
    };
}
