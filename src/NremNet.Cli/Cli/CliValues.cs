using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using NremNet.Cli.Profiles;

namespace NremNet.Cli.Cli;

/// <summary>Values as commands read them from the command line and show them to people, the same way in every verb.</summary>
internal static class CliValues
{
    /// <summary>A country code from the command line, upper case, or a usage error that says what is expected.</summary>
    public static string Country(string? code, string what = "country") =>
        Domain.Countries.Country.Find(code?.Trim())?.Code
            ?? throw new CliException(ExitCodes.Usage, $"The {what} '{code}' is not an ISO 3166-1 alpha-2 country code: give two letters, e.g. NL, SE or NG.");

    /// <summary>A number of days from the command line, or a usage error naming the option.</summary>
    public static TimeSpan Days(int days, string option, int maximum = 36500) =>
        days >= 1 && days <= maximum
            ? TimeSpan.FromDays(days)
            : throw new CliException(ExitCodes.Usage, $"{option} is {days}; give a number of days from 1 to {maximum}.");

    /// <summary>A moment for people: UTC, to the second.</summary>
    public static string Time(DateTimeOffset? value, string none = "—") =>
        value is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : none;

    /// <summary>A protobuf timestamp for people; <paramref name="none"/> when unset.</summary>
    public static string Time(Timestamp? value, string none = "—") => Time(At(value), none);

    /// <summary>A protobuf timestamp as a value for JSON, null when unset.</summary>
    public static DateTimeOffset? At(Timestamp? value) => value?.ToDateTimeOffset();

    /// <summary>A certificate thumbprint shortened for tables: its first 16 hex digits.</summary>
    public static string ShortThumbprint(string? thumbprint) =>
        string.IsNullOrEmpty(thumbprint) ? "—" : thumbprint.Length <= 16 ? thumbprint : thumbprint[..16] + "…";

    /// <summary>Yes or no, for tables.</summary>
    public static string YesNo(bool value) => value ? "yes" : "no";
}
