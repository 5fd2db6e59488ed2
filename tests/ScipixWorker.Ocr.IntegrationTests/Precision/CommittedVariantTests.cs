using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.IntegrationTests.Precision;

/// <summary>
/// Every variant models/variants.json lists is loaded and compared with FP32 on the SROIE fixtures (nine line
/// crops, recognition only, and the receipt scan end to end) under the accuracy gate. The fixtures are small, so
/// one character of slack is allowed on each; the gate proper runs on the 300-crop dev set (`scipix eval --gate`).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class CommittedVariantTests(EngineFixture fixture)
{
    public static TheoryData<string> Variants()
    {
        var data = new TheoryData<string>();
        foreach (var entry in VariantCatalog.Load(Path.Combine(Fixtures.ModelDirectory, "variants.json")).Entries)
        {
            data.Add(entry.File);
        }

        return data;
    }

    [Theory(SkipTestWithoutData = true)]
    [MemberData(nameof(Variants))]
    public void Committed_variant_matches_fp32_within_the_gate_on_the_fixtures(string file)
    {
        var catalog = VariantCatalog.Load(Path.Combine(Fixtures.ModelDirectory, "variants.json"));
        var entry = catalog.Find(file)!;
        var path = Path.Combine(Fixtures.ModelDirectory, file);
        Assert.True(File.Exists(path), $"{file} is listed in variants.json but not in models/");
        Assert.Equal(entry.Sha256, VariantCatalog.Sha256Of(path));

        var options = new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, Precision = ModelPrecision.Fp32, AllowUngatedVariants = true };
        var role = entry.Base == options.DetectorModel ? ModelRole.Detector
            : entry.Base == options.RecognizerModel ? ModelRole.Recognizer
            : entry.Base == options.ClassifierModel ? ModelRole.Classifier
            : throw new InvalidOperationException($"{file}: its base {entry.Base} is none of the configured models");
        switch (role)
        {
            case ModelRole.Detector: options.DetectorPrecision = entry.Precision; break;
            case ModelRole.Recognizer: options.RecognizerPrecision = entry.Precision; break;
            default: options.ClassifierPrecision = entry.Precision; break;
        }

        using var variant = new OcrEngine(options);
        Assert.Equal(file, role switch
        {
            ModelRole.Detector => variant.Model.Detector,
            ModelRole.Recognizer => variant.Model.Recognizer,
            _ => variant.Model.Classifier,
        });

        var lines = Fixtures.SroieLines();
        var lineReport = SideBySide.Run(fixture.Engine, variant, lines, OcrMode.SingleLine, caseInsensitive: true,
            absoluteSlack: 1.0 / lines.Sum(l => TextMetrics.Normalize(l.GroundTruth).Length), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(lineReport.Verdict.Passed, $"{file} on the line crops: {lineReport.Verdict.Reason}");

        LabeledImage[] page = [new("receipt_000", Fixtures.Bytes("sroie", "receipt_000.jpg"), Fixtures.Text("sroie", "receipt_000.gt.txt"))];
        var pageReport = SideBySide.Run(fixture.Engine, variant, page, OcrMode.Full, caseInsensitive: true,
            absoluteSlack: 1.0 / TextMetrics.Normalize(page[0].GroundTruth).Length, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(pageReport.Verdict.Passed, $"{file} on the receipt: {pageReport.Verdict.Reason}");
    }
}
