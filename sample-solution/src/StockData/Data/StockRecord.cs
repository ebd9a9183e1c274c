namespace StockData.Data;

/// <summary>A listed company as StockData stores it.</summary>
public sealed record StockRecord(int Id, string Symbol, string Name);
