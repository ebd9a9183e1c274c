using System.ComponentModel.DataAnnotations;

namespace StockWeb;

/// <summary>Where and how StockWeb calls StockData (configuration section "StockData").</summary>
public sealed class StockDataOptions
{
    public const string SectionName = "StockData";

    /// <summary>The address of the StockData gRPC service, e.g. http://stockdata:8080.</summary>
    [Required]
    public Uri? Address { get; set; }

    /// <summary>How long one call to StockData may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
