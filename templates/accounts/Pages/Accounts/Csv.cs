using System.Text;

namespace ModularUsersApp.Pages.Accounts;

// The CSV of the admin pages' exports (logs, audit): RFC 4180, safe to open in a spreadsheet: a
// cell that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
// gets a leading apostrophe, so an attacker who types "=HYPERLINK(...)" as an email cannot make
// the export run it.
public static class Csv
{
    public static string Row(params IEnumerable<string?> cells) =>
        string.Join(',', cells.Select(Cell)) + "\r\n";

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
    }

    public static readonly Encoding Utf8WithBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
}
