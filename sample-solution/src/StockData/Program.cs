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

// A hint for whoever opens the root URL. It names the address the caller used (the host's
// published port, not the container's 8080), and -plaintext only when the call came without TLS.
app.MapGet("/", (HttpRequest request) =>
    "StockData is a gRPC service (stockkube.v1.Stocks); use a gRPC client to call it, " +
    $"for example: grpcurl {(request.IsHttps ? "" : "-plaintext ")}{request.Host} list");

app.Run();

/// <summary>Made public so that tests can start the app with WebApplicationFactory.</summary>
public partial class Program;
