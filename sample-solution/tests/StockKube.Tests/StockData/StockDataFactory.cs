extern alias StockDataApp;

using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StockKube.Tests.StockData;

/// <summary>Runs StockData in memory (TestServer) and hands out gRPC channels to it.</summary>
public sealed class StockDataFactory : WebApplicationFactory<StockDataApp::Program>
{
    /// <summary>A gRPC channel whose calls go through the in-memory server's pipeline.</summary>
    public GrpcChannel CreateGrpcChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = Server.CreateHandler(),
        });
}
