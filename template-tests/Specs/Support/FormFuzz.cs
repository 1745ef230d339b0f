using System.Net;
using System.Text.RegularExpressions;

namespace Specs.Support;

// Hostile values, one field at a time, in every form of a page and in a page's query parameters.
// Whatever is sent, the app never answers with a server error; and a value validation must
// refuse (too long, control characters, not a value of a typed field) changes nothing saved.
public static partial class FormFuzz
{
    public sealed record Hostile(string Name, string Text, bool AlwaysRefused);

    public static readonly IReadOnlyList<Hostile> Values =
    [
        new("overlong", new string('x', 10_000), AlwaysRefused: true),
        new("NUL", "nul\0here", AlwaysRefused: true),
        new("bell", "bell\u0007here", AlwaysRefused: true),
        new("bidi override", "\u202Efdp.exe\u202C", AlwaysRefused: false),
        new("emoji", "\U0001F600\U0001F469\u200D\U0001F4BB", AlwaysRefused: false),
        new("markup", "<script>alert(1)</script>\"'", AlwaysRefused: false),
        new("line break", "a\r\nb", AlwaysRefused: false),
        new("wrong type", "abc", AlwaysRefused: false),
        new("huge number", "99999999999999999999999999", AlwaysRefused: false),
        new("far date", "9999-12-31", AlwaysRefused: false),
        new("far past date", "0001-01-01", AlwaysRefused: false),
        new("empty", "", AlwaysRefused: false),
    ];

    // Posts every form of the page (GET path), each field replaced in turn by each hostile value,
    // the other fields from baseValues (fresh for each post) or as the page shows them. The
    // snapshot describes what a refused post must leave unchanged.
    public static async Task PostHostileValuesAsync(
        Browser browser, string path, Func<Dictionary<string, string>> baseValues, Func<Task<string>> snapshot)
    {
        var forms = Forms(await PageAsync(browser, path), path);
        Assert.NotEmpty(forms);
        for (var formIndex = 0; formIndex < forms.Count; formIndex++)
        {
            foreach (var field in forms[formIndex].Fields)
            {
                foreach (var hostile in Values)
                {
                    // Opened again for each post: a fresh antiforgery token for the browser's current state.
                    var form = Forms(await PageAsync(browser, path), path).ElementAtOrDefault(formIndex);
                    if (form is null || form.Action != forms[formIndex].Action)
                    {
                        break;
                    }
                    var fields = form.Fields.ToDictionary(f => f.Name, f => f.Value);
                    foreach (var (name, value) in baseValues())
                    {
                        fields[name] = value;
                    }
                    fields[field.Name] = hostile.Text;
                    fields["__RequestVerificationToken"] = form.Token;

                    var before = await snapshot();
                    var response = await browser.PostAsync(form.Action, fields);
                    var what = $"{hostile.Name} in {field.Name} posted to {form.Action}";

                    Assert.True((int)response.StatusCode < 500, $"{what}: {(int)response.StatusCode}");
                    if (hostile.AlwaysRefused || field.Type is { } type && !Fits(type, hostile.Text))
                    {
                        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{what} was not refused: {(int)response.StatusCode}");
                        Assert.True(before == await snapshot(), $"{what} was refused, yet changed what is saved");
                    }
                }
            }
        }
    }

    // Opens the page with each parameter in turn set to each hostile value.
    public static async Task GetHostileValuesAsync(Browser browser, string path, params string[] parameters)
    {
        foreach (var parameter in parameters)
        {
            foreach (var hostile in Values)
            {
                var separator = path.Contains('?') ? '&' : '?';
                var response = await browser.Client.GetAsync($"{path}{separator}{parameter}={Uri.EscapeDataString(hostile.Text)}");
                Assert.True((int)response.StatusCode < 500, $"{hostile.Name} in {parameter} of {path}: {(int)response.StatusCode}");
            }
        }
    }

    // A hostile value as one path segment (/Profiles/{handle}). Not NUL: the server refuses a
    // path holding it before the app sees it (the test server throws instead).
    public static async Task GetHostileSegmentsAsync(Browser browser, string pathBefore)
    {
        foreach (var hostile in Values.Where(v => v.Text != "" && !v.Text.Contains('\0')))
        {
            var response = await browser.Client.GetAsync(pathBefore + Uri.EscapeDataString(hostile.Text));
            Assert.True((int)response.StatusCode < 500, $"{hostile.Name} in {pathBefore}: {(int)response.StatusCode}");
        }
    }

    private enum FieldType { Bool, Guid, Number, Date }

    private sealed record Field(string Name, string Value, FieldType? Type);

    private sealed record Form(string Action, string Token, List<Field> Fields);

    private static async Task<string> PageAsync(Browser browser, string path)
    {
        var response = await browser.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static List<Form> Forms(string html, string path)
    {
        var forms = new List<Form>();
        foreach (Match form in PostForm().Matches(html))
        {
            var action = WebUtility.HtmlDecode(Attribute(form.Groups["open"].Value, "action") ?? path);
            var token = Token().Match(form.Value);
            var fields = new List<Field>();
            foreach (Match element in FieldElement().Matches(form.Value))
            {
                var name = Attribute(element.Value, "name");
                var inputType = Attribute(element.Value, "type");
                if (name is null || name == "__RequestVerificationToken" || inputType == "submit" || fields.Any(f => f.Name == name))
                {
                    continue;
                }
                var value = WebUtility.HtmlDecode(Attribute(element.Value, "value") ?? "");
                fields.Add(new Field(name, inputType == "checkbox" ? "true" : value, TypeOf(inputType, value)));
            }
            if (fields.Count > 0 && token.Success)
            {
                forms.Add(new Form(action, token.Groups[1].Value, fields));
            }
        }
        return forms;
    }

    private static FieldType? TypeOf(string? inputType, string value) => inputType switch
    {
        "checkbox" => FieldType.Bool,
        "number" => FieldType.Number,
        "date" => FieldType.Date,
        _ when Guid.TryParse(value, out _) => FieldType.Guid,
        _ => null,
    };

    private static bool Fits(FieldType type, string text) => type switch
    {
        FieldType.Bool => bool.TryParse(text, out _),
        FieldType.Guid => Guid.TryParse(text, out _),
        FieldType.Number => long.TryParse(text, out _),
        _ => DateOnly.TryParse(text, out _),
    };

    private static string? Attribute(string element, string name)
    {
        var match = Regex.Match(element, $"\\s{name}=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("(?<open><form[^>]*method=\"post\"[^>]*>).*?</form>", RegexOptions.Singleline)]
    private static partial Regex PostForm();

    [GeneratedRegex("<(input|textarea|select)[^>]*>")]
    private static partial Regex FieldElement();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
