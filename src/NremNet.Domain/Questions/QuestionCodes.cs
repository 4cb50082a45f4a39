using System.Collections.Concurrent;
using System.Text.Json;
using NremNet.Domain.Documents;

namespace NremNet.Domain.Questions;

/// <summary>
/// The codes enums are written as in files and exports: upper snake case of the member name (YesNo → YES_NO), the
/// same as <see cref="JsonNamingPolicy.SnakeCaseUpper"/> gives the JSON export, so one spelling holds everywhere.
/// </summary>
internal static class QuestionCodes
{
    private const string UnspecifiedName = "Unspecified";
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Code, object Value)>> Tables = new();

    public static string Code<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString());

    /// <summary>Whether <paramref name="value"/> is a member other than Unspecified.</summary>
    public static bool IsDefined<TEnum>(TEnum value)
        where TEnum : struct, Enum => Enum.IsDefined(value) && value.ToString() != UnspecifiedName;

    public static bool TryParse<TEnum>(string code, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var (known, member) in Table<TEnum>())
        {
            if (string.Equals(known, code, StringComparison.Ordinal))
            {
                value = (TEnum)member;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The codes allowed, for messages: "YES_NO, CHOICE_ONE, ...".</summary>
    public static string AllowedList<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Table<TEnum>().Select(t => t.Code));

    /// <summary>Checks that a coded value was given.</summary>
    public static void Code<TEnum>(this ProblemList problems, string path, TEnum value)
        where TEnum : struct, Enum
    {
        if (!IsDefined(value))
        {
            problems.Add(path, "required: one of " + AllowedList<TEnum>());
        }
    }

    /// <summary>The code of <paramref name="key"/>; Unspecified when absent or not a code (with the problem).</summary>
    public static TEnum Code<TEnum>(this YamlFields fields, string key, string what)
        where TEnum : struct, Enum => fields.Code<TEnum>(key, TryParse, what, AllowedList<TEnum>());

    /// <summary>Writes the code of <paramref name="value"/>; nothing when it is Unspecified.</summary>
    public static void Code<TEnum>(this YamlWriter writer, string key, TEnum value)
        where TEnum : struct, Enum
    {
        if (IsDefined(value))
        {
            writer.Plain(key, Code(value));
        }
    }

    private static IReadOnlyList<(string Code, object Value)> Table<TEnum>()
        where TEnum : struct, Enum =>
        Tables.GetOrAdd(typeof(TEnum), _ => [.. Enum.GetValues<TEnum>().Where(IsDefined).Select(v => (Code(v), (object)v))]);
}
