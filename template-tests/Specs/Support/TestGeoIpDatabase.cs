using System.Net;
using System.Text;

namespace Specs.Support;

// Writes a tiny GeoIP2-City database in the MaxMind DB format
// (https://maxmind.github.io/MaxMind-DB/), so the specs run the real MaxMind reader without
// downloading GeoLite2, which needs an account and changes every week. It knows two documentation
// ranges (RFC 5737): 203.0.113.0/24 is "Testville, New Zealand", 198.51.100.0/24 is "Iceland" with
// no city. Every other address, 192.0.2.0/24 and loopback among them, is not found.
public static class TestGeoIpDatabase
{
    private const int DataSectionSeparator = 16;
    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];

    // One file for the whole run, written when first asked for and deleted when the run ends.
    // TestApp points Sessions:GeoIpDatabasePath at it (ignored by apps without --geoip).
    private static readonly Lazy<string> Shared = new(() =>
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mu-specs-geoip-{Environment.ProcessId}.mmdb");
        Write(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    });

    public static string SharedPath => Shared.Value;

    public static void Write(string path)
    {
        var data = new List<byte>();
        var cityRecord = Append(data, Map(
            ("city", Map(("names", Map(("en", "Testville"))))),
            ("country", Map(("iso_code", "NZ"), ("names", Map(("en", "New Zealand")))))));
        var countryRecord = Append(data, Map(
            ("country", Map(("iso_code", "IS"), ("names", Map(("en", "Iceland")))))));

        var root = new Node();
        root.Insert(IPv4InIPv6Tree("203.0.113.0"), 96 + 24, cityRecord);
        root.Insert(IPv4InIPv6Tree("198.51.100.0"), 96 + 24, countryRecord);
        var nodes = root.Flatten();

        var file = new List<byte>();
        foreach (var node in nodes)
        {
            WriteRecord(file, node.Records[0], nodes);
            WriteRecord(file, node.Records[1], nodes);
        }
        file.AddRange(new byte[DataSectionSeparator]);
        file.AddRange(data);
        file.AddRange(MetadataMarker);
        Append(file, Map(
            ("node_count", (uint)nodes.Count),
            ("record_size", (ushort)24),
            ("ip_version", (ushort)6),
            ("database_type", "GeoIP2-City"),
            ("languages", new object[] { "en" }),
            ("binary_format_major_version", (ushort)2),
            ("binary_format_minor_version", (ushort)0),
            ("build_epoch", (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            ("description", Map(("en", "mu-sessions specs")))));

        File.WriteAllBytes(path, [.. file]);
    }

    // An IPv6 database keeps IPv4 in its first 2^32 addresses (::/96). Unlike MaxMind's own files
    // this one has no alias from ::ffff:0:0/96, so the specs show that the app maps IPv4-mapped
    // addresses (::ffff:203.0.113.7) to IPv4 itself.
    private static byte[] IPv4InIPv6Tree(string ipv4) => [.. new byte[12], .. IPAddress.Parse(ipv4).GetAddressBytes()];

    // A 24-bit record holds a node number, the node count for "not found", or a data offset
    // counted from the node count, with the separator in between.
    private static void WriteRecord(List<byte> file, object? record, List<Node> nodes)
    {
        var value = record switch
        {
            Node child => nodes.IndexOf(child),
            int dataOffset => nodes.Count + DataSectionSeparator + dataOffset,
            _ => nodes.Count,
        };
        file.AddRange([(byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }

    // One level of the search tree per address bit.
    private sealed class Node
    {
        // For a 0 bit and a 1 bit: a child Node, an int data offset, or null for "not found".
        public readonly object?[] Records = new object?[2];

        public void Insert(byte[] address, int prefixLength, int dataOffset)
        {
            var node = this;
            for (var i = 0; i < prefixLength - 1; i++)
            {
                node = (Node)(node.Records[Bit(address, i)] ??= new Node());
            }
            node.Records[Bit(address, prefixLength - 1)] = dataOffset;
        }

        // The root must be node 0; any numbering of the others works.
        public List<Node> Flatten()
        {
            var nodes = new List<Node> { this };
            for (var i = 0; i < nodes.Count; i++)
            {
                nodes.AddRange(nodes[i].Records.OfType<Node>());
            }
            return nodes;
        }

        private static int Bit(byte[] address, int index) => address[index / 8] >> (7 - index % 8) & 1;
    }

    private static Dictionary<string, object> Map(params (string Key, object Value)[] pairs) =>
        pairs.ToDictionary(pair => pair.Key, pair => pair.Value);

    // Encodes one value of a data section, returning where it starts.
    private static int Append(List<byte> output, object value)
    {
        var start = output.Count;
        switch (value)
        {
            case string text:
                var utf8 = Encoding.UTF8.GetBytes(text);
                WriteControl(output, 2, utf8.Length);
                output.AddRange(utf8);
                break;
            case ushort number:
                WriteUnsigned(output, 5, number);
                break;
            case uint number:
                WriteUnsigned(output, 6, number);
                break;
            case ulong number:
                WriteUnsigned(output, 9, number);
                break;
            case Dictionary<string, object> map:
                WriteControl(output, 7, map.Count);
                foreach (var (key, item) in map)
                {
                    Append(output, key);
                    Append(output, item);
                }
                break;
            case object[] array:
                WriteControl(output, 11, array.Length);
                foreach (var item in array)
                {
                    Append(output, item);
                }
                break;
            default:
                throw new ArgumentException($"No MaxMind DB type is written for {value.GetType()}.", nameof(value));
        }
        return start;
    }

    // Integers are big-endian in as few bytes as the value needs; 0 needs none.
    private static void WriteUnsigned(List<byte> output, int type, ulong number)
    {
        var bytes = new List<byte>();
        for (; number > 0; number >>= 8)
        {
            bytes.Insert(0, (byte)number);
        }
        WriteControl(output, type, bytes.Count);
        output.AddRange(bytes);
    }

    // The control byte: three bits of type, five of size. Types above 7 (uint64, array) put 0 there
    // and type - 7 in the next byte. A size of 29 to 284 is 29 plus one more byte; nothing here is
    // longer (a map's or array's size is its number of entries).
    private static void WriteControl(List<byte> output, int type, int size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 284);
        output.Add((byte)((type <= 7 ? type << 5 : 0) | Math.Min(size, 29)));
        if (type > 7)
        {
            output.Add((byte)(type - 7));
        }
        if (size >= 29)
        {
            output.Add((byte)(size - 29));
        }
    }
}
