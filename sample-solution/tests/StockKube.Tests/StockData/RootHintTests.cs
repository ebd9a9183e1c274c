extern alias StockDataApp;

namespace StockKube.Tests.StockData;

/// <summary>The text at "/" names the address the caller used, as the chapter shows it.</summary>
public sealed class RootHintTests(StockDataFactory factory) : IClassFixture<StockDataFactory>
{
    [Theory]
    [InlineData("http://localhost:5101/", "grpcurl -plaintext localhost:5101 list")]
    [InlineData("https://localhost:5102/", "grpcurl localhost:5102 list")]
    public async Task The_hint_names_the_callers_address_and_plaintext_only_without_TLS(
        string address, string expected)
    {
        var client = factory.CreateDefaultClient(new Uri(address));

        var text = await client.GetStringAsync("/");

        Assert.EndsWith("for example: " + expected, text);
    }
}
