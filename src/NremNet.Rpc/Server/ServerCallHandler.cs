using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using NremNet.Rpc.Compression;
using NremNet.Rpc.Framing;
using NremNet.Rpc.Telemetry;

namespace NremNet.Rpc.Server;

/// <summary>What every call handler shares: options, compression, logging, time.</summary>
internal sealed record ServerCallEnvironment(RpcServerOptions Options, CompressionProviders Compression, ILogger Logger, TimeProvider TimeProvider);

/// <summary>Serves the calls of one method: checks the request, runs the handler, ends the call with a status.</summary>
internal abstract class ServerCallHandler(Method method, ServerCallEnvironment environment)
{
    public Method Method { get; } = method;

    public RpcServerOptions Options => environment.Options;

    public CompressionProviders Compression => environment.Compression;

    public ILogger Logger => environment.Logger;

    public TimeProvider TimeProvider => environment.TimeProvider;

    /// <summary>Whether the method reads a stream of requests (so the body may stay open a long time).</summary>
    protected abstract bool StreamsRequests { get; }

    public async Task HandleAsync(HttpContext http)
    {
        if (!ProtocolChecks.Accept(http, Logger))
        {
            return;
        }

        var bodySize = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            // Message size limits govern; the body of a stream has no overall size.
            bodySize.MaxRequestBodySize = null;
        }

        if (StreamsRequests)
        {
            // A client stream may be quiet for a long time without being slow.
            var rate = http.Features.Get<IHttpMinRequestBodyDataRateFeature>();
            if (rate is not null)
            {
                rate.MinDataRate = null;
            }
        }

        var start = Stopwatch.GetTimestamp();
        var activity = RpcDiagnostics.StartServer(Method, http.Request.Headers);
        var context = new HttpServerCallContext(http, this);
        var status = Status.DefaultSuccess;
        Metadata? trailers = null;
        try
        {
            context.Initialize();
            await HandleCallAsync(http.Request.BodyReader, context).ConfigureAwait(false);
            status = context.Status;
            if (context.DeadlineExceeded)
            {
                status = new Status(StatusCode.DeadlineExceeded, "Deadline exceeded.");
            }
        }
        catch (Exception ex)
        {
            (status, trailers) = StatusFromException(ex, context);
        }
        finally
        {
            try
            {
                context.Complete(status, trailers);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or ConnectionAbortedException)
            {
                RpcServerLog.CompleteFailed(Logger, Method.FullName, ex);
            }

            context.Dispose();
            RpcDiagnostics.StopServer(activity, Method, status.StatusCode, start);
        }
    }

    /// <summary>Reads the requests, runs the handler and writes the responses.</summary>
    protected abstract Task HandleCallAsync(PipeReader requestBody, HttpServerCallContext context);

    private (Status Status, Metadata? Trailers) StatusFromException(Exception ex, HttpServerCallContext context)
    {
        if (context.DeadlineExceeded)
        {
            return (new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), null);
        }

        if (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            RpcServerLog.CallCancelled(Logger, Method.FullName);
            return (new Status(StatusCode.Cancelled, "The client cancelled the call."), null);
        }

        switch (ex)
        {
            case RpcException rpc:
                if (rpc.StatusCode is StatusCode.Internal or StatusCode.ResourceExhausted or StatusCode.Unimplemented && rpc.Trailers.Count == 0)
                {
                    RpcServerLog.CallRejected(Logger, Method.FullName, rpc.StatusCode, rpc.Status.Detail);
                }

                return (rpc.Status, rpc.Trailers);
            case OperationCanceledException:
                return (new Status(StatusCode.Cancelled, "The call was cancelled."), null);
            default:
                RpcServerLog.HandlerFailed(Logger, Method.FullName, ex);
                var detail = Options.EnableDetailedErrors
                    ? $"The handler threw {ex.GetType().Name}: {ex.Message}"
                    : "The server hit an unexpected error while handling the call.";
                return (new Status(StatusCode.Unknown, detail, ex), null);
        }
    }
}

/// <summary>Serves unary calls.</summary>
internal sealed class UnaryCallHandler<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerCallEnvironment environment, UnaryServerMethod<TRequest, TResponse> invoker)
    : ServerCallHandler(method, environment)
    where TRequest : class
    where TResponse : class
{
    protected override bool StreamsRequests => false;

    protected override async Task HandleCallAsync(PipeReader requestBody, HttpServerCallContext context)
    {
        var request = await ServerReads.SingleAsync(requestBody, context, method.RequestMarshaller).ConfigureAwait(false);
        var response = await invoker(request, context).ConfigureAwait(false);
        WriteResponse(context, method, response);
    }

    internal static void WriteResponse(HttpServerCallContext context, Method<TRequest, TResponse> method, TResponse? response)
    {
        if (context.Status.StatusCode != StatusCode.OK)
        {
            return;
        }

        if (response is null)
        {
            throw new RpcException(StatusCode.Internal, "The handler returned no response message.");
        }

        context.WriteMessage(response, method.ResponseMarshaller, null);
    }
}

/// <summary>Serves client-streaming calls.</summary>
internal sealed class ClientStreamingCallHandler<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerCallEnvironment environment, ClientStreamingServerMethod<TRequest, TResponse> invoker)
    : ServerCallHandler(method, environment)
    where TRequest : class
    where TResponse : class
{
    protected override bool StreamsRequests => true;

    protected override async Task HandleCallAsync(PipeReader requestBody, HttpServerCallContext context)
    {
        var requests = new HttpRequestStreamReader<TRequest>(requestBody, context, method.RequestMarshaller);
        var response = await invoker(requests, context).ConfigureAwait(false);
        UnaryCallHandler<TRequest, TResponse>.WriteResponse(context, method, response);
    }
}

/// <summary>Serves server-streaming calls.</summary>
internal sealed class ServerStreamingCallHandler<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerCallEnvironment environment, ServerStreamingServerMethod<TRequest, TResponse> invoker)
    : ServerCallHandler(method, environment)
    where TRequest : class
    where TResponse : class
{
    protected override bool StreamsRequests => false;

    protected override async Task HandleCallAsync(PipeReader requestBody, HttpServerCallContext context)
    {
        var request = await ServerReads.SingleAsync(requestBody, context, method.RequestMarshaller).ConfigureAwait(false);
        var writer = new HttpResponseStreamWriter<TResponse>(context, method.ResponseMarshaller);
        try
        {
            await invoker(request, writer, context).ConfigureAwait(false);
        }
        finally
        {
            writer.Complete();
        }
    }
}

/// <summary>Serves bidirectional-streaming calls.</summary>
internal sealed class DuplexStreamingCallHandler<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerCallEnvironment environment, DuplexStreamingServerMethod<TRequest, TResponse> invoker)
    : ServerCallHandler(method, environment)
    where TRequest : class
    where TResponse : class
{
    protected override bool StreamsRequests => true;

    protected override async Task HandleCallAsync(PipeReader requestBody, HttpServerCallContext context)
    {
        var requests = new HttpRequestStreamReader<TRequest>(requestBody, context, method.RequestMarshaller);
        var writer = new HttpResponseStreamWriter<TResponse>(context, method.ResponseMarshaller);
        try
        {
            await invoker(requests, writer, context).ConfigureAwait(false);
        }
        finally
        {
            writer.Complete();
        }
    }
}

/// <summary>Request reads on the server: an I/O error there means the client reset the stream, which is a cancellation.</summary>
internal static class ServerReads
{
    public static async Task<T> SingleAsync<T>(PipeReader body, HttpServerCallContext context, Marshaller<T> marshaller)
        where T : class
    {
        try
        {
            return await MessageReader.ReadSingleMessageAsync(body, context, marshaller, "request", context.CancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw ClientReset(ex);
        }
    }

    public static OperationCanceledException ClientReset(IOException ex) => new("The client reset the call.", ex);
}
