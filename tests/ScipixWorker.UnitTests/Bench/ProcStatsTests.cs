using ScipixWorker.Cli.Bench;

namespace ScipixWorker.UnitTests.Bench;

public sealed class ProcStatsTests
{
    // A real /proc/PID/stat line (trimmed after field 22); utime = 1234, stime = 56 ticks.
    private const string Stat = "4242 (dotnet) S 4200 4242 4200 34816 4242 4194304 120000 0 3 0 1234 56 0 0 20 0 31 0 360000 4000000000 130000";

    [Fact]
    public void Cpu_time_is_utime_plus_stime_in_clock_ticks()
    {
        Assert.Equal(TimeSpan.FromSeconds(12.90), ProcStats.ParseCpuTime(Stat));
    }

    [Fact]
    public void Minor_faults_are_field_10()
    {
        Assert.Equal(120000, ProcStats.ParseMinorFaults(Stat));
        Assert.Equal(120000, ProcStats.ParseMinorFaults(Stat.Replace("(dotnet)", "(a) b (c)", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_command_name_with_spaces_and_parentheses_does_not_shift_the_fields()
    {
        var stat = Stat.Replace("(dotnet)", "(my (odd) worker)", StringComparison.Ordinal);

        Assert.Equal(TimeSpan.FromSeconds(12.90), ProcStats.ParseCpuTime(stat));
    }

    [Fact]
    public void A_line_that_is_not_a_stat_line_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => ProcStats.ParseCpuTime("no parenthesis here"));
        Assert.Throws<FormatException>(() => ProcStats.ParseCpuTime("1 (x) S 2 3"));
    }

    [Fact]
    public void Peak_rss_is_read_from_VmHWM_in_bytes()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t 4000000 kB\nVmHWM:\t  554012 kB\nVmRSS:\t  500000 kB\n";

        Assert.Equal(554012L * 1024, ProcStats.ParseStatusBytes(status, "VmHWM"));
        Assert.Equal(500000L * 1024, ProcStats.ParseStatusBytes(status, "VmRSS"));
        Assert.Null(ProcStats.ParseStatusBytes(status, "VmSwap"));
    }

    [Fact]
    public void This_process_can_be_measured_on_linux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc is Linux's");

        Assert.True(ProcStats.CpuTime(Environment.ProcessId) > TimeSpan.Zero);
        Assert.True(ProcStats.PeakRss(Environment.ProcessId) > 1024 * 1024);
        Assert.True(ProcStats.MinorFaults(Environment.ProcessId) > 0);
    }
}
