using System.Text.RegularExpressions;

namespace Specs.Support;

// Pieces of a page's HTML as the server drew it, for the specs of forms in every module.
public static class FormHtml
{
    // The <input> (or <textarea>, <select>) with this name, as the server drew it.
    public static string Field(string html, string name)
    {
        var match = Regex.Match(html, $"<(input|textarea|select)[^>]*\\sname=\"{Regex.Escape(name)}\"[^>]*>");
        Assert.True(match.Success, $"no field named {name}");
        return match.Value;
    }

    // The text of the validation message with this id.
    public static string ErrorSpan(string html, string id)
    {
        var match = Regex.Match(html, $"<span[^>]*id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</span>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no message with the id {id}");
        return match.Groups[1].Value;
    }
}
