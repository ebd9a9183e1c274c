namespace StockData.Data;

/// <summary>Read-only access to the stocks.</summary>
public interface IStockRepository
{
    /// <summary>All stocks, ordered by id.</summary>
    IReadOnlyList<StockRecord> GetAll();

    /// <summary>The stock with the given id, or <c>null</c> if there is none.</summary>
    StockRecord? FindById(int id);
}
