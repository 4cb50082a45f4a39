using System.Collections.Frozen;

namespace NremNet.Domain.Documents;

/// <summary>The ISO 639-1 language codes a practice, a translation or a question may be written in.</summary>
internal static class LanguageCodes
{
    /// <summary>The codes, two lower-case letters each.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        .. ("aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et "
            + "eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl "
            + "km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj "
            + "om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to "
            + "tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu").Split(' '),
    ];

    private static readonly FrozenSet<string> Set = All.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="code"/> is an ISO 639-1 code, in lower case.</summary>
    public static bool IsValid(string? code) => code is { Length: 2 } && Set.Contains(code);
}
