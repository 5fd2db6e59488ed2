namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The small integers Type 1 charstrings, Type 2 (CFF) charstrings and CFF DICTs write alike: one byte 32-246 for -107 to
/// 107, two bytes led by 247-254 for 108 to 1131 and -108 to -1131.
/// </summary>
internal static class CharStringIntegers
{
    /// <summary>The value of one byte 32-246.</summary>
    public static int OneByte(byte value) => value - 139;

    /// <summary>The value of two bytes led by 247-250 (positive) or 251-254 (negative).</summary>
    public static int TwoBytes(byte first, byte second) =>
        first <= 250 ? ((first - 247) * 256) + second + 108 : -((first - 251) * 256) - second - 108;
}
