using Google.Protobuf;
using NremNet.Rpc.Reflection.V1;

namespace NremNet.Rpc.Reflection;

/// <summary>
/// Server reflection, <c>grpc.reflection.v1</c> and the older <c>v1alpha</c> that many tools still ask first.
/// Both protocols have the same messages on the wire, so one implementation answers both.
/// </summary>
internal sealed class ReflectionService(ReflectionIndex index)
{
    public IEnumerable<ServiceDefinition> BindServices()
    {
        yield return ServiceBuilder.For(ReflectionReflection.Descriptor.Services[0])
            .DuplexStreaming<ServerReflectionRequest, ServerReflectionResponse>("ServerReflectionInfo", InfoAsync)
            .Build();
        yield return ServiceBuilder.For(V1Alpha.ReflectionReflection.Descriptor.Services[0])
            .DuplexStreaming<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse>("ServerReflectionInfo", InfoV1AlphaAsync)
            .Build();
    }

    private async Task InfoAsync(IAsyncStreamReader<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(Answer(requests.Current)).ConfigureAwait(false);
        }
    }

    private async Task InfoV1AlphaAsync(IAsyncStreamReader<V1Alpha.ServerReflectionRequest> requests, IServerStreamWriter<V1Alpha.ServerReflectionResponse> responses, ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = ServerReflectionRequest.Parser.ParseFrom(requests.Current.ToByteString());
            var answer = Answer(request);
            await responses.WriteAsync(V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString())).ConfigureAwait(false);
        }
    }

    internal ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request.Clone() };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                response.ListServicesResponse = new ListServiceResponse();
                response.ListServicesResponse.Service.AddRange(index.ServiceNames.Select(name => new ServiceResponse { Name = name }));
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.FindFileByName(request.FileByFilename), $"File '{request.FileByFilename}' is not known.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.FindFileBySymbol(request.FileContainingSymbol), $"Symbol '{request.FileContainingSymbol}' is not known.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = request.FileContainingExtension;
                SetFile(response, index.FindFileByExtension(extension.ContainingType, extension.ExtensionNumber), $"Extension {extension.ExtensionNumber} of '{extension.ContainingType}' is not known.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                var numbers = index.FindExtensionNumbers(request.AllExtensionNumbersOfType);
                if (numbers is null)
                {
                    SetError(response, StatusCode.NotFound, $"Type '{request.AllExtensionNumbersOfType}' is not known.");
                }
                else
                {
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType.TrimStart('.') };
                    response.AllExtensionNumbersResponse.ExtensionNumber.AddRange(numbers);
                }

                break;
            default:
                SetError(response, StatusCode.InvalidArgument, "The reflection request asks nothing: set one of its message_request fields.");
                break;
        }

        return response;
    }

    private static void SetFile(ServerReflectionResponse response, Google.Protobuf.Reflection.FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, StatusCode.NotFound, notFound);
            return;
        }

        response.FileDescriptorResponse = new FileDescriptorResponse();
        foreach (var each in ReflectionIndex.WithDependencies(file))
        {
            response.FileDescriptorResponse.FileDescriptorProto.Add(each.SerializedData);
        }
    }

    private static void SetError(ServerReflectionResponse response, StatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };
}
