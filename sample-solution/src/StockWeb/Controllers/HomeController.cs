using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using StockKube.Contracts;
using StockWeb.Models;

namespace StockWeb.Controllers;

public sealed class HomeController(
    Stocks.StocksClient stocksClient,
    IOptions<StockDataOptions> options,
    ILogger<HomeController> logger) : Controller
{
    public const string UnavailableMessage = "The stock service is unavailable right now.";

    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        try
        {
            var response = await stocksClient.ListAsync(
                new ListStocksRequest(),
                deadline: DateTime.UtcNow.Add(options.Value.Timeout),
                cancellationToken: cancellationToken);

            return View(new StockListViewModel { Stocks = response.Stocks });
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // StockData is down, unreachable, too slow or failing: say so, don't crash.
            logger.LogWarning(
                "Could not list stocks from StockData at {Address}: {StatusCode} {Detail}",
                options.Value.Address, ex.StatusCode, ex.Status.Detail);

            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return View(new StockListViewModel { ErrorMessage = UnavailableMessage });
        }
    }

    [ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
    public IActionResult Error() =>
        View(new ErrorViewModel { RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier });
}
