extern alias StockWebApp;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StockWebApp::StockKube.Contracts;

namespace StockKube.Tests.StockWeb;

/// <summary>
/// Runs StockWeb in memory with its StockData address set to <paramref name="stockDataAddress"/>.
/// When <paramref name="stockDataHandler"/> is given, the gRPC client sends its calls through it
/// (for example to an in-memory StockData) instead of opening a network connection.
/// </summary>
public sealed class StockWebFactory(Uri stockDataAddress, Func<HttpMessageHandler>? stockDataHandler = null)
    : WebApplicationFactory<StockWebApp::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["StockData:Address"] = stockDataAddress.ToString(),
                ["StockData:Timeout"] = "00:00:10",
            }));

        if (stockDataHandler is not null)
        {
            builder.ConfigureTestServices(services =>
                services.AddGrpcClient<Stocks.StocksClient>()
                    .ConfigurePrimaryHttpMessageHandler(stockDataHandler));
        }
    }
}
