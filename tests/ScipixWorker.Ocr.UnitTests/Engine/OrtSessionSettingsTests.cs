using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class OrtSessionSettingsTests
{
    [Fact]
    public void Cuda_picks_convolution_algorithms_by_heuristics_unless_told_otherwise()
    {
        var settings = OrtSessionFactory.CudaSettings(new OcrEngineOptions { DeviceId = 1 });

        Assert.Equal("HEURISTIC", settings["cudnn_conv_algo_search"]);
        Assert.Equal("1", settings["device_id"]);
        Assert.Equal("1", settings["cudnn_conv_use_max_workspace"]);
        Assert.Equal("0", OrtSessionFactory.CudaSettings(new OcrEngineOptions { CudnnConvUseMaxWorkspace = false })["cudnn_conv_use_max_workspace"]);
    }

    [Theory]
    [InlineData(CudnnConvAlgoSearch.Exhaustive, "EXHAUSTIVE")]
    [InlineData(CudnnConvAlgoSearch.Default, "DEFAULT")]
    [InlineData(CudnnConvAlgoSearch.Heuristic, "HEURISTIC")]
    public void Each_search_setting_maps_to_onnx_runtimes_name(CudnnConvAlgoSearch search, string expected)
    {
        Assert.Equal(expected, OrtSessionFactory.CudaSettings(new OcrEngineOptions { CudnnConvAlgoSearch = search })["cudnn_conv_algo_search"]);
    }

    [Fact]
    public void Unconfigured_intra_op_threads_share_the_cores_among_the_executors_and_a_configured_count_stays()
    {
        var shared = new OcrEngineOptions();
        shared.ShareCoresAmong(2);
        var many = new OcrEngineOptions();
        many.ShareCoresAmong(Environment.ProcessorCount * 4);
        var configured = new OcrEngineOptions { IntraOpThreads = 3 };
        configured.ShareCoresAmong(2);

        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), shared.IntraOpThreads);
        Assert.Equal(1, many.IntraOpThreads); // never none
        Assert.Equal(3, configured.IntraOpThreads);
    }
}
