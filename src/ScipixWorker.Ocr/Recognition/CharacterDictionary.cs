namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// The recognizer's classes: index 0 is the CTC blank, then one entry per dictionary line, then a space
/// when the model was trained with one (PaddleOCR's CTCLabelDecode).
/// </summary>
internal sealed class CharacterDictionary
{
    private readonly string[] _characters;
    private readonly int[] _letterClasses;

    public CharacterDictionary(IEnumerable<string> entries, bool useSpace)
    {
        var list = new List<string> { string.Empty };
        list.AddRange(entries);
        if (useSpace)
        {
            list.Add(" ");
        }

        _characters = [.. list];
        Letters = [.. Enumerable.Range(0, _characters.Length).Where(i => _characters[i] is [var c] && char.IsAsciiLetter(c))];
        Digits = [.. Enumerable.Range(0, _characters.Length).Where(i => _characters[i] is [var c] && char.IsAsciiDigit(c))];
        CapitalI = Array.IndexOf(_characters, "I");
        Comma = Array.IndexOf(_characters, ",");
        Period = Array.IndexOf(_characters, ".");
        Dollar = Array.IndexOf(_characters, "$");
        _letterClasses = new int[128];
        Array.Fill(_letterClasses, -1);
        foreach (var letter in Letters)
        {
            _letterClasses[_characters[letter][0]] = letter;
        }
    }

    public int Count => _characters.Length;

    /// <summary>The class of the space character, or -1 when the model has none.</summary>
    public int SpaceIndex => _characters.Length > 1 && _characters[^1] == " " ? _characters.Length - 1 : -1;

    public string this[int index] => _characters[index];

    /// <summary>The classes of the ASCII letters, a-z and A-Z.</summary>
    public int[] Letters { get; }

    /// <summary>The classes of the ASCII digits.</summary>
    public int[] Digits { get; }

    /// <summary>Whether class <paramref name="class"/> is one ASCII letter, a-z or A-Z.</summary>
    public bool IsLetter(int @class) => _characters[@class] is [var c] && char.IsAsciiLetter(c);

    /// <summary>Whether class <paramref name="class"/> is one ASCII letter or digit.</summary>
    public bool IsLetterOrDigit(int @class) => _characters[@class] is [var c] && char.IsAsciiLetterOrDigit(c);

    /// <summary>The class of ASCII letter <paramref name="letter"/>, or -1 when it is not one or the dictionary lacks it.</summary>
    public int LetterClass(char letter) => letter < 128 ? _letterClasses[letter] : -1;

    /// <summary>The class of the capital letter I, or -1 when the dictionary has none.</summary>
    public int CapitalI { get; }

    /// <summary>The class of the comma, or -1 when the dictionary has none.</summary>
    public int Comma { get; }

    /// <summary>The class of the period, or -1 when the dictionary has none.</summary>
    public int Period { get; }

    /// <summary>The class of the dollar sign, or -1 when the dictionary has none.</summary>
    public int Dollar { get; }

    public static CharacterDictionary Load(string path, bool useSpace)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Dictionary '{path}' does not exist (run `make models`, or set Ocr:Dictionary).", path);
        }

        // One entry per line; only the line break is stripped, so an entry may itself be a space.
        var lines = File.ReadAllText(path).Split('\n');
        var entries = lines.Select(l => l.TrimEnd('\r')).ToList();
        if (entries.Count > 0 && entries[^1].Length == 0)
        {
            entries.RemoveAt(entries.Count - 1);
        }

        return new CharacterDictionary(entries, useSpace);
    }
}
