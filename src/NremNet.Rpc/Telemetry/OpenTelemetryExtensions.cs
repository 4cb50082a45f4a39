using NremNet.Rpc.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace NremNet.Rpc;

/// <summary>Wires NremNet.Rpc's spans and metrics into the OpenTelemetry SDK.</summary>
public static class RpcOpenTelemetryExtensions
{
    /// <summary>The name of the activity source and meter.</summary>
    public const string InstrumentationName = RpcDiagnostics.SourceName;

    /// <summary>Collects a span per call, client and server side.</summary>
    public static TracerProviderBuilder AddNremNetRpcInstrumentation(this TracerProviderBuilder builder) =>
        (builder ?? throw new ArgumentNullException(nameof(builder))).AddSource(InstrumentationName);

    /// <summary>Collects call duration and count metrics, client and server side.</summary>
    public static MeterProviderBuilder AddNremNetRpcInstrumentation(this MeterProviderBuilder builder) =>
        (builder ?? throw new ArgumentNullException(nameof(builder))).AddMeter(InstrumentationName);
}
