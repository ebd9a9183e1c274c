extern alias StockDataApp;

using StockDataApp::StockData.Data;

namespace StockKube.Tests.StockData;

public sealed class InMemoryStockRepositoryTests
{
    private readonly InMemoryStockRepository _repository = new(Nasdaq100.Stocks);

    [Fact]
    public void Nasdaq100_has_about_a_hundred_stocks_with_ids_from_one_upwards()
    {
        var ids = Nasdaq100.Stocks.Select(s => s.Id).ToList();

        Assert.InRange(ids.Count, 100, 105);
        Assert.Equal(Enumerable.Range(1, ids.Count), ids);
    }

    [Fact]
    public void Nasdaq100_symbols_are_unique_and_every_stock_has_a_name()
    {
        Assert.Equal(Nasdaq100.Stocks.Count, Nasdaq100.Stocks.Select(s => s.Symbol).Distinct().Count());
        Assert.All(Nasdaq100.Stocks, s =>
        {
            Assert.Matches("^[A-Z]{1,5}$", s.Symbol);
            Assert.False(string.IsNullOrWhiteSpace(s.Name));
        });
    }

    [Theory]
    [InlineData(1, "AAPL", "Apple Inc.")]
    [InlineData(66, "MSFT", "Microsoft Corporation")]
    [InlineData(70, "NVDA", "NVIDIA Corporation")]
    public void FindById_returns_the_stock(int id, string symbol, string name)
    {
        Assert.Equal(new StockRecord(id, symbol, name), _repository.FindById(id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_000)]
    public void FindById_returns_null_for_an_unknown_id(int id)
    {
        Assert.Null(_repository.FindById(id));
    }

    [Fact]
    public void GetAll_returns_the_stocks_ordered_by_id()
    {
        var repository = new InMemoryStockRepository(
        [
            new StockRecord(2, "BBB", "Bravo"),
            new StockRecord(1, "AAA", "Alpha"),
        ]);

        Assert.Equal(["AAA", "BBB"], repository.GetAll().Select(s => s.Symbol));
    }

    [Fact]
    public void Duplicate_ids_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new InMemoryStockRepository(
        [
            new StockRecord(1, "AAA", "Alpha"),
            new StockRecord(1, "BBB", "Bravo"),
        ]));
    }
}
