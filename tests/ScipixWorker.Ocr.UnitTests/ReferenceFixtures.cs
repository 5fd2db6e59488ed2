namespace ScipixWorker.Ocr.UnitTests;

/// <summary>Reads the reference fixtures described in Fixtures/README.md.</summary>
internal static class ReferenceFixtures
{
    public static BinaryReader Open(string name) =>
        new(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)));
}
