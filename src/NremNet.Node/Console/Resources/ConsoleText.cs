namespace NremNet.Node.Console.Resources;

/// <summary>
/// The console's texts: <c>ConsoleText.resx</c> (English) and its French, Spanish and Arabic versions beside it, read
/// with <c>IStringLocalizer&lt;ConsoleText&gt;</c> (<c>L["Key"]</c> in every component). Keys are <c>Area.Name</c>; a
/// test fails when a key lacks a language or a page shows a key.
/// </summary>
internal sealed class ConsoleText
{
    private ConsoleText()
    {
    }
}
