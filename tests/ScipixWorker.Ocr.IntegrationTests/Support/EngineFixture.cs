using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>One warmed-up engine on the real FP32 models, shared by the tests of a collection.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Options = new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory };
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
