using Microsoft.Extensions.Diagnostics.HealthChecks;
using StockData.Data;

namespace StockData.Services;

/// <summary>Healthy when the repository has stocks to serve.</summary>
public sealed class StockRepositoryHealthCheck(IStockRepository repository) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var count = repository.GetAll().Count;
        return Task.FromResult(count > 0
            ? HealthCheckResult.Healthy($"{count} stocks loaded.")
            : HealthCheckResult.Unhealthy("No stocks loaded."));
    }
}
