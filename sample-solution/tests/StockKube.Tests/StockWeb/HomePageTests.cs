using System.Net;
using System.Net.Sockets;
using StockKube.Tests.StockData;

namespace StockKube.Tests.StockWeb;

public sealed class HomePageTests(StockDataFactory stockData) : IClassFixture<StockDataFactory>
{
    private const string UnavailableMessage = "The stock service is unavailable right now.";

    [Fact]
    public async Task Lists_the_stocks_from_StockData()
    {
        using var web = new StockWebFactory(stockData.Server.BaseAddress, stockData.Server.CreateHandler);
        using var client = web.CreateClient();

        using var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<title>Stocks - StockKube</title>", html);
        Assert.Contains("<h1>NASDAQ-100 stocks</h1>", html);
        Assert.Contains("<td class=\"symbol\">AAPL</td>", html);
        Assert.Contains("<td>Apple Inc.</td>", html);
        Assert.Contains("<td class=\"symbol\">ZS</td>", html);
        Assert.DoesNotContain(UnavailableMessage, html);
    }

    [Fact]
    public async Task Says_the_stock_service_is_unavailable_when_StockData_is_down()
    {
        using var web = new StockWebFactory(new Uri($"http://127.0.0.1:{GetClosedPort()}"));
        using var client = web.CreateClient();

        // Twice: the app keeps serving after a failed call.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var response = await client.GetAsync("/");
            var html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("<title>Stocks - StockKube</title>", html);
            Assert.Contains(UnavailableMessage, html);
            Assert.DoesNotContain("<table>", html);
            Assert.DoesNotContain("Exception", html);
        }
    }

    /// <summary>A loopback port that nothing listens on (it was free a moment ago).</summary>
    private static int GetClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
