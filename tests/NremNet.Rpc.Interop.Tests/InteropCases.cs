namespace NremNet.Rpc.Interop.Tests;

/// <summary>The interop cases every pairing runs, and the transports.</summary>
public static class InteropCases
{
    public static readonly string[] Names =
    [
        "empty_unary", "large_unary", "client_compressed_unary", "server_compressed_unary", "client_streaming",
        "client_compressed_streaming", "server_streaming", "server_compressed_streaming", "ping_pong", "empty_stream",
        "status_code_and_message", "special_status_message", "custom_metadata", "unimplemented_method",
        "unimplemented_service", "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
    ];

    public static TheoryData<string, bool> All()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in Names)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }
}
