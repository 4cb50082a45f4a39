using Microsoft.Extensions.DependencyInjection;
using NremNet.Node.Peers;

namespace NremNet.Node.Referrals;

/// <summary>Registers transnational referrals: the store and its outbox, delivery, retention, and their services.</summary>
internal static class ReferralsRegistration
{
    /// <summary>
    /// The referral store, outbox delivery and retention (both running in the background), the peer API's
    /// <c>nremnet.referrals.v1.ReferralService</c> and the user API's <c>nremnet.local.v1.ReferralService</c>.
    /// </summary>
    public static IServiceCollection AddReferrals(this IServiceCollection services)
    {
        services.AddSingleton<ReferralSignal>();
        services.AddSingleton<ReferralStore>();
        services.AddPeerService<ReferralPeerService>();
        services.AddSingleton<ReferralDelivery>();
        services.AddHostedService(static sp => sp.GetRequiredService<ReferralDelivery>());
        services.AddSingleton<ReferralRetention>();
        services.AddHostedService(static sp => sp.GetRequiredService<ReferralRetention>());
        services.AddSingleton<ReferralUserService>();
        return services;
    }
}
