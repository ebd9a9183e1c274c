using StockKube.Contracts;

namespace StockWeb.Models;

/// <summary>What the home page shows: the stocks, or why there are none.</summary>
public sealed class StockListViewModel
{
    public IReadOnlyList<Stock> Stocks { get; init; } = [];

    /// <summary>Set when the stocks could not be fetched.</summary>
    public string? ErrorMessage { get; init; }
}
