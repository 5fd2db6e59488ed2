using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>One warmed-up engine on the real FP32 models, shared by the tests of a collection.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        // Readings of pictures are not kept (PictureCacheBytes 0): each test's pictures are read by the models, whatever the
        // tests before it read. PictureReadingTests keep them, on engines of their own.
        Options = new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, PictureCacheBytes = 0 };
        Engine = new OcrEngine(Options);
        Engine.WarmUp();
    }

    public OcrEngineOptions Options { get; }

    public OcrEngine Engine { get; }

    public void Dispose() => Engine.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}
