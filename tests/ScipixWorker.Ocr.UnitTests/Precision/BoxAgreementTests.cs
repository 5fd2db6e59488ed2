using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Precision;

public sealed class BoxAgreementTests
{
    private static Quad Box(float x, float y, float w, float h) => Quad.FromRectangle(x, y, w, h);

    [Fact]
    public void Identical_detections_agree_fully()
    {
        Quad[] boxes = [Box(0, 0, 100, 20), Box(0, 30, 80, 20)];
        Assert.Equal(2, BoxAgreement.Matches(boxes, boxes));
        Assert.Equal(1.0, BoxAgreement.F1(2, 2, 2));
    }

    [Fact]
    public void Shifted_boxes_match_only_above_the_iou_threshold()
    {
        Assert.Equal(1, BoxAgreement.Matches([Box(0, 0, 100, 20)], [Box(10, 0, 100, 20)]));
        Assert.Equal(0, BoxAgreement.Matches([Box(0, 0, 100, 20)], [Box(60, 0, 100, 20)]));
    }

    [Fact]
    public void A_missed_box_lowers_the_f1()
    {
        Quad[] fp32 = [Box(0, 0, 100, 20), Box(0, 30, 80, 20), Box(0, 60, 90, 20), Box(0, 90, 50, 20)];
        Quad[] variant = [fp32[0], fp32[1], fp32[2]];
        var matches = BoxAgreement.Matches(fp32, variant);
        Assert.Equal(3, matches);
        Assert.Equal(6.0 / 7.0, BoxAgreement.F1(matches, fp32.Length, variant.Length), 9);
    }

    [Fact]
    public void One_box_matches_at_most_one_other()
    {
        Assert.Equal(1, BoxAgreement.Matches([Box(0, 0, 100, 20)], [Box(0, 0, 100, 20), Box(1, 0, 100, 20)]));
    }

    [Fact]
    public void Iou_of_disjoint_boxes_is_zero()
    {
        Assert.Equal(0, BoxAgreement.Iou(Box(0, 0, 10, 10), Box(20, 20, 10, 10)));
        Assert.Equal(1.0 / 3.0, BoxAgreement.Iou(Box(0, 0, 10, 10), Box(5, 0, 10, 10)), 6);
    }
}
