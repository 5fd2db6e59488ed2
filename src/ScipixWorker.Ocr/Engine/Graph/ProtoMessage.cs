using System.Buffers.Binary;
using System.Text;

namespace ScipixWorker.Ocr.Engine.Graph;

/// <summary>The protobuf wire types (protobuf's encoding guide).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// One field of a <see cref="ProtoMessage"/> as it was read: a number, a wire type and either a value (varint, fixed32,
/// fixed64) or bytes (length-delimited: a string, bytes, a packed list or a nested message, parsed on demand by
/// <see cref="Message"/>).
/// </summary>
internal sealed class ProtoField
{
    private ProtoMessage? _message;

    public ProtoField(int number, WireType type, ulong value, ReadOnlyMemory<byte> bytes)
    {
        Number = number;
        Type = type;
        Value = value;
        Bytes = bytes;
    }

    public int Number { get; }

    public WireType Type { get; }

    /// <summary>The value of a varint, fixed32 or fixed64 field.</summary>
    public ulong Value { get; }

    /// <summary>The payload of a length-delimited field as read (a <see cref="Message"/> parsed from it is written instead).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The payload as a nested message, parsed once; changes to it are what <see cref="ProtoMessage.ToArray"/> writes.</summary>
    public ProtoMessage Message => _message ??= ProtoMessage.Parse(Bytes);

    public static ProtoField OfString(int number, string text) => new(number, WireType.LengthDelimited, 0, Encoding.UTF8.GetBytes(text));

    public static ProtoField OfBytes(int number, byte[] bytes) => new(number, WireType.LengthDelimited, 0, bytes);

    public static ProtoField OfMessage(int number, ProtoMessage message) => new(number, WireType.LengthDelimited, 0, ReadOnlyMemory<byte>.Empty) { _message = message };

    public static ProtoField OfVarint(int number, long value) => new(number, WireType.Varint, unchecked((ulong)value), ReadOnlyMemory<byte>.Empty);

    public static ProtoField OfFloat(int number, float value) => new(number, WireType.Fixed32, BitConverter.SingleToUInt32Bits(value), ReadOnlyMemory<byte>.Empty);

    public string AsString() => Encoding.UTF8.GetString(Bytes.Span);

    public float AsFloat() => BitConverter.UInt32BitsToSingle((uint)Value);

    // The nested message where one was parsed (it may have changed since, and is written in place of the bytes read).
    internal ProtoMessage? ParsedMessage => _message;

    // The length of the payload to write.
    internal int PayloadSize => _message is { } message ? message.CalculateSize() : Bytes.Length;
}

/// <summary>
/// A protobuf message at the wire level: its fields in the order read, every one kept, so that a message read and written
/// again without changes comes back byte for byte (fields this code has no name for included). Enough to edit an ONNX
/// model's graph (<see cref="OnnxGraph"/>) without generated code or a protobuf dependency.
/// </summary>
internal sealed class ProtoMessage
{
    public List<ProtoField> Fields { get; } = [];

    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    public static ProtoMessage Parse(ReadOnlyMemory<byte> data)
    {
        var message = new ProtoMessage();
        var span = data.Span;
        var position = 0;
        while (position < span.Length)
        {
            var key = ReadVarint(span, ref position);
            var number = (int)(key >> 3);
            var type = (WireType)(key & 7);
            if (number <= 0)
            {
                throw new InvalidDataException($"Field number {number} at byte {position}.");
            }

            switch (type)
            {
                case WireType.Varint:
                    message.Fields.Add(new ProtoField(number, type, ReadVarint(span, ref position), ReadOnlyMemory<byte>.Empty));
                    break;
                case WireType.Fixed32:
                    message.Fields.Add(new ProtoField(number, type, BinaryPrimitives.ReadUInt32LittleEndian(Take(span, ref position, 4)), ReadOnlyMemory<byte>.Empty));
                    break;
                case WireType.Fixed64:
                    message.Fields.Add(new ProtoField(number, type, BinaryPrimitives.ReadUInt64LittleEndian(Take(span, ref position, 8)), ReadOnlyMemory<byte>.Empty));
                    break;
                case WireType.LengthDelimited:
                    var length = ReadVarint(span, ref position);
                    if (length > (ulong)(span.Length - position))
                    {
                        throw new InvalidDataException($"Field {number} claims {length} bytes; {span.Length - position} are left.");
                    }

                    message.Fields.Add(new ProtoField(number, type, 0, data.Slice(position, (int)length)));
                    position += (int)length;
                    break;
                default:
                    throw new InvalidDataException($"Wire type {(int)type} (groups are not supported) for field {number}.");
            }
        }

        return message;
    }

    public IEnumerable<ProtoField> All(int number) => Fields.Where(f => f.Number == number);

    public ProtoField? First(int number) => Fields.Find(f => f.Number == number);

    /// <summary>The strings of a repeated string field, in order.</summary>
    public List<string> Strings(int number) => All(number).Select(f => f.AsString()).ToList();

    /// <summary>Replaces every field <paramref name="number"/> with <paramref name="values"/>, where the first of them stood.</summary>
    public void SetStrings(int number, IReadOnlyList<string> values)
    {
        var at = Fields.FindIndex(f => f.Number == number);
        Fields.RemoveAll(f => f.Number == number);
        Fields.InsertRange(at < 0 ? Fields.Count : at, values.Select(v => ProtoField.OfString(number, v)));
    }

    /// <summary>The repeated integers of field <paramref name="number"/>, packed or not.</summary>
    public List<long> Int64s(int number)
    {
        var values = new List<long>();
        foreach (var field in All(number))
        {
            if (field.Type != WireType.LengthDelimited)
            {
                values.Add(unchecked((long)field.Value));
                continue;
            }

            var span = field.Bytes.Span;
            var position = 0;
            while (position < span.Length)
            {
                values.Add(unchecked((long)ReadVarint(span, ref position)));
            }
        }

        return values;
    }

    /// <summary>The message's encoded length.</summary>
    public int CalculateSize()
    {
        var size = 0;
        foreach (var field in Fields)
        {
            size += VarintSize(((ulong)field.Number << 3) | (ulong)field.Type);
            size += field.Type switch
            {
                WireType.Varint => VarintSize(field.Value),
                WireType.Fixed32 => 4,
                WireType.Fixed64 => 8,
                _ => LengthDelimited(field.PayloadSize),
            };
        }

        return size;
    }

    /// <summary>The message encoded, in one array of its exact length.</summary>
    public byte[] ToArray()
    {
        var bytes = GC.AllocateUninitializedArray<byte>(CalculateSize());
        var written = WriteTo(bytes);
        return written == bytes.Length ? bytes : throw new InvalidOperationException($"Wrote {written} bytes of {bytes.Length}.");
    }

    private static int LengthDelimited(int payload) => VarintSize((ulong)payload) + payload;

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private int WriteTo(Span<byte> destination)
    {
        var position = 0;
        foreach (var field in Fields)
        {
            position += WriteVarint(destination[position..], ((ulong)field.Number << 3) | (ulong)field.Type);
            switch (field.Type)
            {
                case WireType.Varint:
                    position += WriteVarint(destination[position..], field.Value);
                    break;
                case WireType.Fixed32:
                    BinaryPrimitives.WriteUInt32LittleEndian(destination[position..], (uint)field.Value);
                    position += 4;
                    break;
                case WireType.Fixed64:
                    BinaryPrimitives.WriteUInt64LittleEndian(destination[position..], field.Value);
                    position += 8;
                    break;
                default:
                    position += WriteVarint(destination[position..], (ulong)field.PayloadSize);
                    position += field.ParsedMessage is { } message ? message.WriteTo(destination[position..]) : Copy(field.Bytes.Span, destination[position..]);
                    break;
            }
        }

        return position;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw new InvalidDataException("A varint runs past the end of the message.");
            }

            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A varint is longer than 10 bytes.");
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> span, ref int position, int count)
    {
        if (position + count > span.Length)
        {
            throw new InvalidDataException("A fixed-width field runs past the end of the message.");
        }

        var taken = span.Slice(position, count);
        position += count;
        return taken;
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var count = 0;
        while (value >= 0x80)
        {
            destination[count++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[count++] = (byte)value;
        return count;
    }
}
