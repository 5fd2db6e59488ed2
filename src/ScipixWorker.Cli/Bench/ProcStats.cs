using System.Globalization;

namespace ScipixWorker.Cli.Bench;

/// <summary>A process's CPU time and peak memory, read from Linux's /proc.</summary>
public static class ProcStats
{
    /// <summary>
    /// USER_HZ, the unit of utime/stime in /proc/PID/stat. It is 100 on every Linux ABI .NET runs on
    /// (the kernel fixes it for userspace regardless of CONFIG_HZ), so no sysconf call is needed.
    /// </summary>
    public const double ClockTicksPerSecond = 100;

    /// <summary>utime + stime from the text of /proc/PID/stat, as CPU time.</summary>
    public static TimeSpan ParseCpuTime(string stat)
    {
        var fields = StatFields(stat);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    /// <summary>The minor page faults so far (minflt, field 10) from the text of /proc/PID/stat.</summary>
    public static long ParseMinorFaults(string stat) => long.Parse(StatFields(stat)[7], CultureInfo.InvariantCulture);

    /// <summary>A "Vm…: N kB" value from the text of /proc/PID/status, in bytes; null when absent.</summary>
    public static long? ParseStatusBytes(string status, string field)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line[(field.Length + 1)..].Split(' ', '\t').Where(p => p.Length > 0).ToArray();
            var value = long.Parse(parts[0], CultureInfo.InvariantCulture);
            return parts.Length > 1 && parts[1].Equals("kB", StringComparison.OrdinalIgnoreCase) ? value * 1024 : value;
        }

        return null;
    }

    // Field 3 (state) onwards of a /proc/PID/stat line. The command name (field 2) is in parentheses and may itself
    // hold spaces and ')': fields are counted after the last ')'.
    private static string[] StatFields(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("Not a /proc/PID/stat line: no ')' after the command name.");
        }

        // utime and stime, the last fields read, are fields 14 and 15.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13)
        {
            throw new FormatException($"Not a /proc/PID/stat line: {fields.Length} fields after the command name.");
        }

        return fields;
    }

    public static TimeSpan? CpuTime(int pid) => Read($"/proc/{pid}/stat") is { } text ? ParseCpuTime(text) : null;

    /// <summary>Minor page faults of a live process so far.</summary>
    public static long? MinorFaults(int pid) => Read($"/proc/{pid}/stat") is { } text ? ParseMinorFaults(text) : null;

    /// <summary>Peak resident set size (VmHWM) of a live process, in bytes.</summary>
    public static long? PeakRss(int pid) => Read($"/proc/{pid}/status") is { } text ? ParseStatusBytes(text, "VmHWM") : null;

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the process is gone, or this is not Linux
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
