using AngleSharp.Html.Parser;
using NremNet.Domain.Practices;

namespace NremNet.Domain.Tests.Practices;

public class PracticeMarkdownTests
{
    private static readonly HashSet<string> AllowedTags =
    [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "ins", "mark", "sub", "sup", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    ];

    private static readonly HashSet<string> AllowedAttributes = ["href", "title", "rel", "start", "style"];

    public static TheoryData<string> Hostile() =>
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example.org/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><circle r=1 /></svg>",
        "<svg><script>alert(1)</script></svg>",
        "<iframe src=\"https://evil.example.org\"></iframe>",
        "<style>body { display: none }</style>",
        "<div onclick=\"alert(1)\">click</div>",
        "<a href=\"javascript:alert(1)\">raw link</a>",
        "<object data=\"https://evil.example.org/x.swf\"></object><embed src=x>",
        "<form action=https://evil.example.org><input name=q><button>go</button></form>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<!-- <script>alert(1)</script> -->",
        "<details open ontoggle=alert(1)>",
        "[inline](javascript:alert(1))",
        "[upper](JaVaScRiPt:alert(1))",
        "[titled](javascript:alert(1) \"a title\")",
        "[angle](<javascript:alert(1)>)",
        "[decimal entity](&#106;avascript:alert(1))",
        "[hex entities](&#x6A;avascript&#x3A;alert(1))",
        "[named entity](javascript&colon;alert(1))",
        "[percent](java%0ascript:alert(1))",
        "[escaped](java\\script:alert(1))",
        "[tab](java&#9;script:alert(1))",
        "[newline entity](java&#10;script:alert(1))",
        "[nul](&#0;javascript:alert(1))",
        "[vbscript](vbscript:msgbox(1))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[data entity](&#100;ata:text/html,<script>alert(1)</script>)",
        "[file](file:///etc/passwd)",
        "[relative](/admin/delete)",
        "[protocol relative](//evil.example.org)",
        "[mailto without address](mailto:javascript:alert(1))",
        "[reference][r]\n\n[r]: javascript:alert(1)",
        "[collapsed][]\n\n[collapsed]: JAVASCRIPT:alert(1)",
        "[shortcut]\n\n[shortcut]: &#106;avascript:alert(1) \"title\"",
        "<javascript:alert(1)>",
        "<vbscript:msgbox(1)>",
        "<data:text/html;base64,PHNjcmlwdD4=>",
        "![image](javascript:alert(1))",
        "![pixel](https://tracker.example.org/pixel.png)",
        "![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "[![nested](https://tracker.example.org/a.png)](javascript:alert(1))",
        "[![nested kept](https://tracker.example.org/a.png)](https://example.org/page)",
        "[attribute breakout](https://example.org/\" onmouseover=\"alert(1))",
        "[quote breakout](<https://example.org/\"onmouseover=\"alert(1)>)",
        "Text {onclick=alert(1)} with attributes syntax {#id .class}",
        "| a | b |\n|---|---|\n| [cell](javascript:alert(1)) | <script>alert(1)</script> |",
        "> quote with [link](javascript:alert(1)) and <img src=x onerror=alert(1)>",
        "`<script>alert(1)</script>` and\n\n```html\n<script>alert(1)</script>\n```",
        "Setext\n===\n<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<https://example.org/\" onmouseover=\"alert(1)>",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void ToHtml_HostileMarkdown_NothingExecutable(string markdown)
    {
        var html = PracticeMarkdown.ToHtml(markdown);

        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.Contains(element.LocalName, AllowedTags);
            foreach (var attribute in element.Attributes)
            {
                Assert.Contains(attribute.Name, AllowedAttributes);
                if (attribute.Name == "style")
                {
                    Assert.Matches("^text-align: ?(left|right|center);?$", attribute.Value);
                }
            }

            if (element.LocalName == "a")
            {
                var href = element.GetAttribute("href") ?? "";
                Assert.Matches("^(https?://[^\\s\"<>]+|mailto:[^\\s\"<>]+@[^\\s\"<>]+)$", href);
                Assert.Equal(PracticeMarkdown.LinkRel, element.GetAttribute("rel"));
            }
        }

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ToHtml_RawHtml_ShownAsText()
    {
        var html = PracticeMarkdown.ToHtml("Before <script>alert(1)</script> after");

        Assert.Equal("<p>Before &lt;script&gt;alert(1)&lt;/script&gt; after</p>", html.Trim());
    }

    [Fact]
    public void ToHtml_UnsafeLink_KeepsItsText()
    {
        var html = PracticeMarkdown.ToHtml("See [the report](javascript:alert(1)) now");

        Assert.Equal("<p>See the report now</p>", html.Trim());
    }

    [Fact]
    public void ToHtml_Image_BecomesALinkWithItsAltText()
    {
        var html = PracticeMarkdown.ToHtml("![Chart of referrals](https://example.org/chart.png)");

        Assert.Equal($"<p><a href=\"https://example.org/chart.png\" rel=\"{PracticeMarkdown.LinkRel}\">Chart of referrals</a></p>", html.Trim());
    }

    [Fact]
    public void ToHtml_ImageWithUnsafeAddress_BecomesItsAltText()
    {
        Assert.Equal("<p>Chart</p>", PracticeMarkdown.ToHtml("![Chart](data:image/png;base64,AAAA)").Trim());
    }

    [Fact]
    public void ToHtml_OrdinaryMarkdown_Rendered()
    {
        var markdown = """
            ## Results

            Shelters offered **12 places**, *every* week, ~~not~~ all year.

            1. intake
            2. support

            | Year | Referrals |
            |------|----------:|
            | 2024 | 23 |

            Read the [protocol](https://example.org/protocol "Protocol"), write to <team@example.org>, or visit www.example.org.
            """;

        var html = PracticeMarkdown.ToHtml(markdown);

        Assert.Contains("<h2>Results</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>12 places</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<em>every</em>", html, StringComparison.Ordinal);
        Assert.Contains("<del>not</del>", html, StringComparison.Ordinal);
        Assert.Contains("<ol>", html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"text-align: right\">23</td>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"https://example.org/protocol\" rel=\"{PracticeMarkdown.LinkRel}\" title=\"Protocol\">protocol</a>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"mailto:team@example.org\" rel=\"{PracticeMarkdown.LinkRel}\">team@example.org</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://www.example.org\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToPlainText_Markdown_TextWithoutMarkup()
    {
        var text = PracticeMarkdown.ToPlainText("## Results\n\nShelters offered **12 places** ([details](https://example.org)).\n\n- intake");

        Assert.Contains("Results", text, StringComparison.Ordinal);
        Assert.Contains("Shelters offered 12 places (details).", text, StringComparison.Ordinal);
        Assert.Contains("intake", text, StringComparison.Ordinal);
        Assert.DoesNotContain("**", text, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
        Assert.DoesNotContain("#", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.org/a?b=c#d", true)]
    [InlineData("HTTP://EXAMPLE.ORG", true)]
    [InlineData("mailto:team@example.org", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("https://exa mple.org", false)]
    [InlineData("https://example.org/\u0000", false)]
    [InlineData("ftp://example.org", false)]
    [InlineData("/relative", false)]
    [InlineData("https:///no-host", false)]
    [InlineData("", false)]
    public void IsAllowedLink_Address_OnlyWebAndMail(string url, bool allowed)
    {
        Assert.Equal(allowed, PracticeMarkdown.IsAllowedLink(url));
    }
}
