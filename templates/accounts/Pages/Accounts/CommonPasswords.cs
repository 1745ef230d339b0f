using System.Collections.Frozen;

namespace ModularUsersApp.Pages.Accounts;

// Passwords that attackers try first. A password is refused when, in lower case, it is one of the
// 10,000 most common passwords (CommonPasswords.MostCommon.cs) or one of the words below, also once
// leading and trailing digits and symbols are removed ("Sunshine2024!" is "sunshine"), or when it
// is made only of digits and symbols.
// Add your product and company names to Words. A larger breach corpus can replace MostCommon.
public static partial class CommonPasswords
{
    public static bool Contains(string password)
    {
        var folded = password.ToLowerInvariant();
        var core = folded.Trim(Decorations);
        return core.Length == 0 || IsListed(folded) || IsListed(core);
    }

    private static bool IsListed(string folded) => Words.Contains(folded) || MostCommonSet.Contains(folded);

    private static readonly char[] Decorations = "0123456789!@#$%^&*()-_=+.,?~ ".ToCharArray();

    // Parsed once, on first use.
    private static readonly FrozenSet<string> MostCommonSet = MostCommon
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "!qaz2wsx", "0987654321", "1234567890", "1234567890123", "123654789", "147258369", "147852369",
        "159753", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx", "1qaz2wsx3edc", "1qazxsw2",
        "741852963", "987654321", "abc", "abcd", "abcdefgh", "abcdefghij", "abcdefghijkl", "access", "admin",
        "administrator", "america", "andrew", "angel", "angels", "anthony", "apple", "april", "arsenal",
        "asd", "asdf", "asdfasdf", "asdfghjk", "asdfghjkl", "august", "australia", "azerty", "azertyuiop",
        "baby", "babygirl", "banana", "barbie", "barcelona", "baseball", "basketball", "batman",
        "batterystaple", "bear", "beautiful", "berlin", "biteme", "blueberry", "boston", "brazil", "buster",
        "butterfly", "california", "canada", "changeme", "charlie", "cheese", "chelsea", "chicago", "china",
        "chocolate", "cintaku", "computer", "contrasena", "contraseña", "cookie", "correcthorse",
        "correcthorsebatterystaple", "corvette", "cowboys", "dallas", "daniel", "december", "default",
        "demo", "diamond", "dolphin", "dolphins", "dragon", "eagle", "eagles", "england", "falcon", "family",
        "february", "ferrari", "florida", "flower", "football", "forever", "fortnite", "france", "freedom",
        "friday", "friends", "friendship", "fuckyou", "galaxy", "george", "germany", "ginger", "golden",
        "guest", "hacker", "hackme", "happiness", "happy", "harley", "hasło", "hello", "hellokitty",
        "helloworld", "hockey", "hottie", "hunter", "ilovemyself", "iloveu", "iloveyou", "imissyou", "india",
        "internet", "january", "jelszo", "jennifer", "jessica", "jordan", "joshua", "july", "june",
        "jupiter", "juventus", "killer", "kiss", "kisses", "lakers", "letmein", "lion", "liverpool", "login",
        "london", "lovely", "loveme", "lover", "lovers", "lösenord", "maggie", "mahal", "manchester",
        "march", "mario", "master", "matrix", "matthew", "mercedes", "mercury", "mexico", "michael",
        "minecraft", "monday", "monkey", "moscow", "motdepasse", "mustang", "mypass", "mypassword", "naruto",
        "newpassword", "newyork", "nintendo", "nopassword", "nothing", "november", "october", "oldpassword",
        "opensesame", "orange", "p@ssw0rd", "p@ssword", "packers", "paris", "parola", "passw0rd", "password",
        "passwordpassword", "passwort", "pepper", "phoenix", "playstation", "pokemon", "porsche", "princess",
        "purple", "q1w2e3r4", "q1w2e3r4t5", "qazwsx", "qazwsxedc", "qwe", "qweasd", "qweasdzxc", "qwer",
        "qwerqwer", "qwerty", "qwertyui", "qwertyuiop", "qwertyuiopasdfghjkl", "qwertz", "qwertzuiop",
        "rainbow", "ranger", "realmadrid", "robert", "roblox", "root", "salasana", "sample", "saturn",
        "sayang", "scooby", "secret", "security", "senha", "september", "sexy", "shadow", "shark", "silver",
        "smile", "snoopy", "soccer", "spiderman", "starcraft", "starwars", "steelers", "strawberry",
        "summer", "sunshine", "superman", "superstar", "sweetheart", "sydney", "temp", "temppass", "test",
        "testing", "testtest", "texas", "thisisapassword", "thisismypassword", "thomas", "tiger", "tigers",
        "tinkerbell", "together", "tokyo", "toor", "trustme", "trustno1", "universe", "user", "wachtwoord",
        "warcraft", "weekend", "welcome", "whatever", "whatsup", "william", "wolf", "xbox", "yankees",
        "yellow", "zaq12wsx", "zaq1zaq1", "zelda", "zxc", "zxcvbnm", "zxcvbnmasdfghjkl", "zxcvzxcv",
    };
}
