using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;

namespace ModularUsersApp.Pages.Accounts;

// Text typed by a person and shown to others: no control characters and no invisible Unicode
// formatting characters (category Cf: bidi overrides such as U+202E, which show "admin\u202Egpj.exe"
// as "adminexe.jpg", zero-width spaces and joiners that make two names look the same). Single-line
// fields also refuse line and paragraph separators.
// A multi-line field (multiline: true) allows line breaks and tabs, and the zero-width joiner and
// non-joiner that emoji sequences and scripts such as Persian need; bidi controls stay refused.
// Not for passwords, which accept any characters.
[AttributeUsage(AttributeTargets.Property)]
public sealed class PlainTextAttribute(bool multiline = false) : ValidationAttribute
{
    public const string Message = "Remove the invisible formatting or control characters from this field.";

    public static bool IsPlainText(string text, bool multiline = false)
    {
        // By code point, not by UTF-16 unit: invisible characters above U+FFFF (tag characters
        // such as U+E0041) would otherwise pass as two harmless-looking surrogates. A broken
        // surrogate pair comes out as U+FFFD and is refused too.
        foreach (var rune in text.EnumerateRunes())
        {
            var allowed = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.Control => multiline && rune.Value is '\r' or '\n' or '\t',
                UnicodeCategory.Format => multiline && rune.Value is '\u200C' or '\u200D',
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => multiline,
                _ => rune != Rune.ReplacementChar,
            };
            if (!allowed)
            {
                return false;
            }
        }
        return true;
    }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string text || IsPlainText(text, multiline)
            ? ValidationResult.Success
            : new ValidationResult(Message, [validationContext.MemberName!]);
}
