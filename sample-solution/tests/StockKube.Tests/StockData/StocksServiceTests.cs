extern alias StockDataApp;

using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using StockDataApp::StockData.Data;
using StockKube.Contracts;

namespace StockKube.Tests.StockData;

/// <summary>Calls StockData's gRPC services through the real ASP.NET Core pipeline.</summary>
public sealed class StocksServiceTests(StockDataFactory factory) : IClassFixture<StockDataFactory>
{
    [Fact]
    public async Task Get_returns_the_stock_with_that_id()
    {
        var client = new Stocks.StocksClient(factory.CreateGrpcChannel());

        var stock = await client.GetAsync(new GetStockRequest { Id = 1 });

        Assert.Equal(new Stock { Id = 1, Symbol = "AAPL", Name = "Apple Inc." }, stock);
    }

    [Fact]
    public async Task Get_an_unknown_id_fails_with_NotFound()
    {
        var client = new Stocks.StocksClient(factory.CreateGrpcChannel());

        var ex = await Assert.ThrowsAsync<RpcException>(
            () => client.GetAsync(new GetStockRequest { Id = 10_000 }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Get_an_invalid_id_fails_with_InvalidArgument(int id)
    {
        var client = new Stocks.StocksClient(factory.CreateGrpcChannel());

        var ex = await Assert.ThrowsAsync<RpcException>(
            () => client.GetAsync(new GetStockRequest { Id = id }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    [Fact]
    public async Task List_returns_every_stock_in_id_order()
    {
        var client = new Stocks.StocksClient(factory.CreateGrpcChannel());

        var response = await client.ListAsync(new ListStocksRequest());

        Assert.Equal(Nasdaq100.Stocks.Count, response.Stocks.Count);
        Assert.Equal(Nasdaq100.Stocks.Select(s => s.Id), response.Stocks.Select(s => s.Id));
        Assert.Contains(response.Stocks, s => s.Symbol == "MSFT" && s.Name == "Microsoft Corporation");
    }

    [Theory]
    [InlineData("")]
    [InlineData("stockkube.v1.Stocks")]
    public async Task Health_check_reports_Serving(string service)
    {
        var client = new Health.HealthClient(factory.CreateGrpcChannel());

        var response = await client.CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_Stocks_service()
    {
        var client = new ServerReflection.ServerReflectionClient(factory.CreateGrpcChannel());

        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name);
        Assert.Contains("stockkube.v1.Stocks", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task Root_path_answers_with_a_plain_text_hint()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("gRPC", await response.Content.ReadAsStringAsync());
    }
}
