using Microsoft.Extensions.Options;
using StockKube.Contracts;
using StockWeb;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddControllersWithViews();

builder.Services.AddOptions<StockDataOptions>()
    .BindConfiguration(StockDataOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();

// The gRPC client for StockData, created by the client factory.
// Its address comes from configuration: StockData:Address (StockData__Address as an environment variable).
builder.Services.AddGrpcClient<Stocks.StocksClient>((services, options) =>
{
    options.Address = services.GetRequiredService<IOptions<StockDataOptions>>().Value.Address;
});

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Home/Error");
}

app.UseRouting();

app.MapStaticAssets();
app.MapControllerRoute(
        name: "default",
        pattern: "{controller=Home}/{action=Index}/{id?}")
    .WithStaticAssets();

app.Run();

/// <summary>Made public so that tests can start the app with WebApplicationFactory.</summary>
public partial class Program;
