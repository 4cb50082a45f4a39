using Ganss.Xss;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace NremNet.Domain.Practices;

/// <summary>
/// Renders a practice's Markdown for the console. Practices come from other countries' nodes, so their text is
/// untrusted: raw HTML is shown as text, links keep only http, https and mailto addresses (anything else becomes its
/// text), images are never loaded (an image becomes a link to it, or its alt text), and the HTML then passes an
/// allow-list sanitizer as a second wall.
/// </summary>
public static class PracticeMarkdown
{
    /// <summary>The rel of every rendered link: no referrer, no opener, no endorsement.</summary>
    public const string LinkRel = "nofollow noopener noreferrer";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    // Configured once here and never changed, so one instance serves every thread (Sanitize is thread-safe then).
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>The Markdown as safe HTML.</summary>
    public static string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        Defuse(document);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return Sanitizer.Sanitize(writer.ToString());
    }

    /// <summary>The text of the Markdown without markup, for the search index and snippets.</summary>
    public static string ToPlainText(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return Markdown.ToPlainText(markdown, Pipeline).Trim();
    }

    /// <summary>Whether a link may point to <paramref name="url"/>: an http or https address, or a mailto address.</summary>
    public static bool IsAllowedLink(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        return url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
            ? url.Length > "mailto:".Length && url.Contains('@', StringComparison.Ordinal)
            : PracticeValidation.IsWebAddress(url);
    }

    private static void Defuse(MarkdownDocument document)
    {
        var links = document.Descendants<LinkInline>().ToList();
        foreach (var link in links.Where(l => !l.IsImage))
        {
            if (IsAllowedLink(link.Url))
            {
                link.GetAttributes().AddPropertyIfNotExist("rel", LinkRel);
            }
            else
            {
                Unwrap(link);
            }
        }

        // Images after links, so an image inside a link that was kept is seen inside it and not nested as a second link.
        foreach (var image in links.Where(l => l.IsImage))
        {
            if (IsAllowedLink(image.Url) && !InsideLink(image))
            {
                var link = new LinkInline(image.Url!, image.Title ?? "");
                link.GetAttributes().AddPropertyIfNotExist("rel", LinkRel);
                MoveChildren(image, link);
                if (link.FirstChild is null)
                {
                    link.AppendChild(new LiteralInline(image.Url!));
                }

                image.ReplaceBy(link);
            }
            else
            {
                Unwrap(image);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (IsAllowedLink(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url))
            {
                autolink.GetAttributes().AddPropertyIfNotExist("rel", LinkRel);
            }
            else
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }
    }

    private static bool InsideLink(Inline inline)
    {
        for (var parent = inline.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is LinkInline)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces a link or image by its text.</summary>
    private static void Unwrap(ContainerInline container)
    {
        var child = container.FirstChild;
        while (child is not null)
        {
            var next = child.NextSibling;
            child.Remove();
            container.InsertBefore(child);
            child = next;
        }

        container.Remove();
    }

    private static void MoveChildren(ContainerInline from, ContainerInline to)
    {
        var child = from.FirstChild;
        while (child is not null)
        {
            var next = child.NextSibling;
            child.Remove();
            to.AppendChild(child);
            child = next;
        }
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true, AllowDataAttributes = false, AllowCssCustomProperties = false };
        Replace(sanitizer.AllowedTags,
            ["p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "ins", "mark", "sub", "sup", "code", "pre",
             "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td"]);
        Replace(sanitizer.AllowedAttributes, ["href", "title", "rel", "start", "style"]);
        Replace(sanitizer.AllowedCssProperties, ["text-align"]);
        Replace(sanitizer.AllowedSchemes, ["http", "https", "mailto"]);
        Replace(sanitizer.UriAttributes, ["href"]);
        sanitizer.AllowedAtRules.Clear();
        return sanitizer;
    }

    private static void Replace(ISet<string> set, IEnumerable<string> values)
    {
        set.Clear();
        set.UnionWith(values);
    }
}
