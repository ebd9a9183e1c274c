using StockData.Data;
using StockData.Services;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGrpc();
builder.Services.AddGrpcReflection();
builder.Services.AddSingleton<IStockRepository>(new InMemoryStockRepository(Nasdaq100.Stocks));

// The gRPC health service (grpc.health.v1.Health) reports the result of these checks,
// both for the whole server ("") and for the Stocks service by name.
builder.Services.AddGrpcHealthChecks(options =>
{
    options.Services.Map("", _ => true);
    options.Services.Map("stockkube.v1.Stocks", _ => true);
})
.AddCheck<StockRepositoryHealthCheck>("stocks");

var app = builder.Build();

app.MapGrpcService<StocksService>();
app.MapGrpcHealthChecksService();
app.MapGrpcReflectionService();

app.MapGet("/", () =>
    "StockData is a gRPC service (stockkube.v1.Stocks); use a gRPC client to call it, " +
    "for example: grpcurl -plaintext localhost:8080 list");

app.Run();

/// <summary>Made public so that tests can start the app with WebApplicationFactory.</summary>
public partial class Program;
