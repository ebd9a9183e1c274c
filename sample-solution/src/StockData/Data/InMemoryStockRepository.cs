namespace StockData.Data;

/// <summary>Keeps the given stocks in memory; they never change while the app runs.</summary>
public sealed class InMemoryStockRepository : IStockRepository
{
    private readonly IReadOnlyList<StockRecord> _stocks;
    private readonly Dictionary<int, StockRecord> _byId;

    public InMemoryStockRepository(IEnumerable<StockRecord> stocks)
    {
        ArgumentNullException.ThrowIfNull(stocks);

        _stocks = stocks.OrderBy(s => s.Id).ToList().AsReadOnly();
        _byId = _stocks.ToDictionary(s => s.Id);
    }

    public IReadOnlyList<StockRecord> GetAll() => _stocks;

    public StockRecord? FindById(int id) => _byId.GetValueOrDefault(id);
}
