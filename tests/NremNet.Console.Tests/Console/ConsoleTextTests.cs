using System.Text.RegularExpressions;
using System.Xml.Linq;
using NremNet.Console.Tests.Infrastructure;
using NremNet.Testing;

namespace NremNet.Console.Tests.Console;

/// <summary>Every text of the console is in every language, with the same placeholders, and every key a page uses exists.</summary>
public sealed partial class ConsoleTextTests
{
    [Theory]
    [InlineData(".fr")]
    [InlineData(".es")]
    [InlineData(".ar")]
    public void EveryKey_HasATranslation_WithTheSamePlaceholders(string language)
    {
        var neutral = Texts(string.Empty);
        var translated = Texts(language);
        var missing = neutral.Keys.Except(translated.Keys).Order(StringComparer.Ordinal).ToList();
        var extra = translated.Keys.Except(neutral.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"ConsoleText{language}.resx lacks: {string.Join(", ", missing)}");
        Assert.True(extra.Count == 0, $"ConsoleText{language}.resx has keys the English file does not: {string.Join(", ", extra)}");
        foreach (var (key, text) in translated)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{key} is empty in ConsoleText{language}.resx");
            Assert.True(
                Placeholders(neutral[key]).SetEquals(Placeholders(text)),
                $"{key} has placeholders {string.Join(" ", Placeholders(text))} in ConsoleText{language}.resx but {string.Join(" ", Placeholders(neutral[key]))} in English");
        }
    }

    [Fact]
    public void EveryKeyThePagesName_Exists()
    {
        var keys = Texts(string.Empty).Keys.ToHashSet(StringComparer.Ordinal);
        var folder = RepositoryPaths.Combine("src", "NremNet.Node", "Console");
        var used = System.IO.Directory.EnumerateFiles(folder, "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => UsedKey().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Key: m.Groups["key"].Value)))
            .ToList();
        Assert.True(used.Count > 50, $"only {used.Count} keys found in the pages");
        var unknown = used.Where(u => !keys.Contains(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct().ToList();
        Assert.True(unknown.Count == 0, "Pages name keys that ConsoleText.resx does not have: " + string.Join(", ", unknown));
    }

    [Fact]
    public void EveryNavigationEntry_AndEveryRole_HasItsText()
    {
        var keys = Texts(string.Empty).Keys.ToHashSet(StringComparer.Ordinal);
        Assert.All(Node.Console.ConsoleNavigation.Items, item => Assert.Contains(item.TextKey, keys));
        Assert.All(Node.Console.ConsoleLanguages.All, language => Assert.Contains(language.NameKey, keys));
        Assert.All(new[] { "admin", "rapporteur", "referral_officer" }, role => Assert.Contains("Role." + role, keys));
    }

    private static Dictionary<string, string> Texts(string language) =>
        XDocument.Load(ConsolePages.ResourceFile(language)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? string.Empty, StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"L\[""(?<key>[A-Za-z_.]+)""(?:\]|,)")]
    private static partial Regex UsedKey();
}
