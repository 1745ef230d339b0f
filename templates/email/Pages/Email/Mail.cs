using System.Text;
using System.Text.Encodings.Web;

namespace ModularUsersApp.Pages.Email;

// One mail as the app writes it: paragraphs of plain text and at most one link, shown on a
// line of its own in the text body and as a link in the HTML body.
public record Mail(string Kind, string To, string Subject, IReadOnlyList<string> Paragraphs, string? Link = null, string? LinkText = null)
{
    public string TextBody()
    {
        var text = new StringBuilder();
        foreach (var paragraph in Paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
        }
        if (Link is not null)
        {
            text.Append(LinkText).Append(":\n").Append(Link).Append("\n\n");
        }
        return text.ToString().TrimEnd() + "\n";
    }

    public string HtmlBody()
    {
        var encoder = HtmlEncoder.Default;
        var html = new StringBuilder("<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif; line-height: 1.5\">\n");
        foreach (var paragraph in Paragraphs)
        {
            html.Append("<p>").Append(encoder.Encode(paragraph).Replace("&#xA;", "<br>")).Append("</p>\n");
        }
        if (Link is not null)
        {
            html.Append("<p><a href=\"").Append(encoder.Encode(Link)).Append("\">").Append(encoder.Encode(LinkText ?? Link)).Append("</a></p>\n");
            html.Append("<p style=\"color: #666\">Or copy this address into your browser: ").Append(encoder.Encode(Link)).Append("</p>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }
}
