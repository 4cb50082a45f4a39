namespace NremNet.Node.Console;

/// <summary>Where the console sends a browser after a login or a language change: only to a page of its own.</summary>
internal static class ConsoleReturnUrl
{
    /// <summary>The login page.</summary>
    public const string LoginPath = "/login";

    /// <summary>
    /// <paramref name="url"/> when it is a path on this host (<c>/...</c>, not <c>//host</c> or <c>/\host</c>, which
    /// browsers read as another host, and without control characters), else <c>/</c>. The login page itself is no place
    /// to return to.
    /// </summary>
    public static string Safe(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/' || url.Length > 2048)
        {
            return "/";
        }

        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\'))
        {
            return "/";
        }

        if (url.Any(c => char.IsControl(c) || c == '\\'))
        {
            return "/";
        }

        return url.Equals(LoginPath, StringComparison.OrdinalIgnoreCase) || url.StartsWith(LoginPath + "?", StringComparison.OrdinalIgnoreCase) ? "/" : url;
    }
}
