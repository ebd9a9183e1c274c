using Grpc.Core;
using StockData.Data;
using StockKube.Contracts;

namespace StockData.Services;

/// <summary>The gRPC service <c>stockkube.v1.Stocks</c>.</summary>
public sealed class StocksService(IStockRepository repository, ILogger<StocksService> logger)
    : Stocks.StocksBase
{
    public override Task<Stock> Get(GetStockRequest request, ServerCallContext context)
    {
        if (request.Id <= 0)
        {
            throw new RpcException(new Status(
                StatusCode.InvalidArgument, $"Stock id must be a positive number, got {request.Id}."));
        }

        var record = repository.FindById(request.Id);
        if (record is null)
        {
            logger.LogInformation("No stock with id {StockId}", request.Id);
            throw new RpcException(new Status(StatusCode.NotFound, $"No stock with id {request.Id}."));
        }

        return Task.FromResult(ToMessage(record));
    }

    public override Task<ListStocksResponse> List(ListStocksRequest request, ServerCallContext context)
    {
        var response = new ListStocksResponse();
        response.Stocks.AddRange(repository.GetAll().Select(ToMessage));
        return Task.FromResult(response);
    }

    private static Stock ToMessage(StockRecord record) => new()
    {
        Id = record.Id,
        Symbol = record.Symbol,
        Name = record.Name,
    };
}
