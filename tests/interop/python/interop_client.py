#!/usr/bin/python3
"""A gRPC interop test client on grpcio, running the published interop cases.

    /usr/bin/python3 tests/interop/python/interop_client.py --server_port=50061 --test_case=all
    /usr/bin/python3 tests/interop/python/interop_client.py --server_host=localhost --server_port=50061 \
        --use_tls --use_test_ca --ca_file=ca.pem --server_host_override=foo.test.google.fr --test_case=large_unary

Prints "PASSED <case>" for each case that passes; for each that fails prints
"FAILED <case>: <reason>" to stderr. Exits 0 when all pass, 1 when any fails,
2 on a bad command line.
"""

import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402

import interop_support  # noqa: E402

empty_pb2, messages_pb2, test_pb2_grpc = interop_support.load_protos()

FLAGS = {
    "server_host": "localhost",
    "server_port": 0,
    "test_case": "large_unary",
    "use_tls": False,
    "use_test_ca": False,
    "server_host_override": "",
    "ca_file": "",
}

# Every call but the deadline case gets this deadline, so a server that never
# answers fails the case instead of hanging the run.
RPC_TIMEOUT_S = 30

ECHO_INITIAL = ("x-grpc-test-echo-initial", "test_initial_metadata_value")
ECHO_TRAILING = ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab")


class CaseFailure(Exception):
    """An interop case's assertion failed."""


def check(condition, reason):
    if not condition:
        raise CaseFailure(reason)


def zeros(size):
    return messages_pb2.Payload(body=bytes(size))


def check_zeros(payload, size):
    check(len(payload.body) == size, "payload is %d bytes, expected %d" % (len(payload.body), size))
    check(payload.body.count(0) == size, "payload is not all zeros")


def expect_status(code, call, what):
    """Runs call(), which must fail with code; returns the grpc.RpcError."""
    try:
        call()
    except grpc.RpcError as error:
        check(error.code() == code, "%s ended with %s (%r), expected %s" % (what, error.code(), error.details(), code))
        return error
    raise CaseFailure("%s succeeded, expected %s" % (what, code))


def metadata_value(metadata, key):
    values = [value for k, value in (metadata or ()) if k == key]
    return values[0] if values else None


class Pipe(object):
    """A request iterator fed one message at a time, for calls that interleave sends and receives."""

    def __init__(self):
        self._condition = threading.Condition()
        self._values = []
        self._open = True

    def __iter__(self):
        return self

    def __next__(self):
        with self._condition:
            while not self._values and self._open:
                self._condition.wait()
            if self._values:
                return self._values.pop(0)
            raise StopIteration()

    def add(self, value):
        with self._condition:
            self._values.append(value)
            self._condition.notify()

    def close(self):
        with self._condition:
            self._open = False
            self._condition.notify()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()


class Client(object):
    def __init__(self, flags):
        if flags["server_port"] <= 0:
            raise interop_support.UsageError("--server_port is required")
        host = flags["server_host"]
        target = "%s:%d" % ("[%s]" % host if ":" in host else host, flags["server_port"])
        options = []
        if flags["use_tls"]:
            root = None
            if flags["use_test_ca"]:
                ca_file = flags["ca_file"] or os.environ.get("NREMNET_INTEROP_CA_FILE")
                if not ca_file:
                    raise interop_support.UsageError("--use_test_ca needs --ca_file=PATH naming the test CA in PEM")
                with open(ca_file, "rb") as f:
                    root = f.read()
            if flags["server_host_override"]:
                options.append(("grpc.ssl_target_name_override", flags["server_host_override"]))
            credentials = grpc.ssl_channel_credentials(root_certificates=root)
            self._open = lambda extra: grpc.secure_channel(target, credentials, options=options + extra)
        else:
            if flags["server_host_override"]:
                options.append(("grpc.default_authority", flags["server_host_override"]))
            self._open = lambda extra: grpc.insecure_channel(target, options=options + extra)
        self.channel = self._open([])
        self.stub = test_pb2_grpc.TestServiceStub(self.channel)
        self._observing = None

    def observing_channel(self):
        """A second channel that leaves responses compressed, so the codec can see each message's compression."""
        if self._observing is None:
            self._observing = self._open([interop_support.DISABLE_DECOMPRESSION])
        return self._observing

    def close(self):
        self.channel.close()
        if self._observing is not None:
            self._observing.close()


def empty_unary(client):
    response = client.stub.EmptyCall(empty_pb2.Empty(), timeout=RPC_TIMEOUT_S)
    check(isinstance(response, empty_pb2.Empty), "EmptyCall returned %r" % (response,))


def large_unary(client):
    response = client.stub.UnaryCall(
        messages_pb2.SimpleRequest(response_size=314159, payload=zeros(271828)), timeout=RPC_TIMEOUT_S)
    check_zeros(response.payload, 314159)


def client_compressed_unary(client):
    def request(expect):
        return messages_pb2.SimpleRequest(
            expect_compressed=messages_pb2.BoolValue(value=expect), response_size=314159, payload=zeros(271828))

    expect_status(grpc.StatusCode.INVALID_ARGUMENT,
                  lambda: client.stub.UnaryCall(request(True), timeout=RPC_TIMEOUT_S),
                  "the uncompressed probe with expect_compressed=true")
    response = client.stub.UnaryCall(request(True), compression=grpc.Compression.Gzip, timeout=RPC_TIMEOUT_S)
    check_zeros(response.payload, 314159)
    response = client.stub.UnaryCall(request(False), timeout=RPC_TIMEOUT_S)
    check_zeros(response.payload, 314159)


def server_compressed_unary(client):
    unary = client.observing_channel().unary_unary(
        "/grpc.testing.TestService/UnaryCall",
        request_serializer=messages_pb2.SimpleRequest.SerializeToString,
        response_deserializer=interop_support.observing_deserializer(messages_pb2.SimpleResponse))
    for compressed in (True, False):
        received = unary(messages_pb2.SimpleRequest(
            response_compressed=messages_pb2.BoolValue(value=compressed), response_size=314159, payload=zeros(271828)),
            timeout=RPC_TIMEOUT_S)
        check_zeros(received.message.payload, 314159)
        check(received.compressed == compressed,
              "response_compressed=%s but the response arrived %s" % (
                  compressed, "compressed" if received.compressed else "uncompressed"))


def client_streaming(client):
    requests = [messages_pb2.StreamingInputCallRequest(payload=zeros(size)) for size in (27182, 8, 1828, 45904)]
    response = client.stub.StreamingInputCall(iter(requests), timeout=RPC_TIMEOUT_S)
    check(response.aggregated_payload_size == 74922,
          "aggregated_payload_size is %d, expected 74922" % response.aggregated_payload_size)


def client_compressed_streaming(client):
    first = messages_pb2.StreamingInputCallRequest(
        expect_compressed=messages_pb2.BoolValue(value=True), payload=zeros(27182))
    expect_status(grpc.StatusCode.INVALID_ARGUMENT,
                  lambda: client.stub.StreamingInputCall(iter([first]), timeout=RPC_TIMEOUT_S),
                  "the uncompressed probe with expect_compressed=true")
    # grpcio compresses every message of a call made with compression= and has
    # no public way to send one of them uncompressed, so the second message
    # cannot be the uncompressed one the case describes. It goes compressed
    # with expect_compressed left unset: the server checks the first message's
    # compression and the sum, not the second message's flag.
    second = messages_pb2.StreamingInputCallRequest(payload=zeros(45904))
    response = client.stub.StreamingInputCall(iter([first, second]), compression=grpc.Compression.Gzip,
                                              timeout=RPC_TIMEOUT_S)
    check(response.aggregated_payload_size == 73086,
          "aggregated_payload_size is %d, expected 73086" % response.aggregated_payload_size)


def server_streaming(client):
    sizes = [31415, 9, 2653, 58979]
    request = messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=size) for size in sizes])
    responses = client.stub.StreamingOutputCall(request, timeout=RPC_TIMEOUT_S)
    received = []
    for response in responses:
        check_zeros(response.payload, sizes[min(len(received), len(sizes) - 1)])
        received.append(len(response.payload.body))
    check(received == sizes, "response sizes were %s, expected %s" % (received, sizes))
    check(responses.code() == grpc.StatusCode.OK, "status is %s" % responses.code())


def server_compressed_streaming(client):
    streaming = client.observing_channel().unary_stream(
        "/grpc.testing.TestService/StreamingOutputCall",
        request_serializer=messages_pb2.StreamingOutputCallRequest.SerializeToString,
        response_deserializer=interop_support.observing_deserializer(messages_pb2.StreamingOutputCallResponse))
    request = messages_pb2.StreamingOutputCallRequest(response_parameters=[
        messages_pb2.ResponseParameters(size=31415, compressed=messages_pb2.BoolValue(value=True)),
        messages_pb2.ResponseParameters(size=92653, compressed=messages_pb2.BoolValue(value=False)),
    ])
    received = list(streaming(request, timeout=RPC_TIMEOUT_S))
    sizes = [len(r.message.payload.body) for r in received]
    check(sizes == [31415, 92653], "response sizes were %s, expected [31415, 92653]" % sizes)
    flags = [r.compressed for r in received]
    check(flags == [True, False], "responses arrived compressed %s, expected [True, False]" % flags)


def ping_pong(client):
    steps = [(27182, 31415), (8, 9), (1828, 2653), (45904, 58979)]
    with Pipe() as pipe:
        responses = client.stub.FullDuplexCall(pipe, timeout=RPC_TIMEOUT_S)
        for request_size, response_size in steps:
            pipe.add(messages_pb2.StreamingOutputCallRequest(
                payload=zeros(request_size), response_parameters=[messages_pb2.ResponseParameters(size=response_size)]))
            response = next(responses, None)
            check(response is not None, "the stream ended before a response arrived")
            check_zeros(response.payload, response_size)
    check(next(responses, None) is None, "a response arrived after the last one")
    check(responses.code() == grpc.StatusCode.OK, "status is %s" % responses.code())


def empty_stream(client):
    responses = client.stub.FullDuplexCall(iter([]), timeout=RPC_TIMEOUT_S)
    check(next(responses, None) is None, "a response arrived on an empty stream")
    check(responses.code() == grpc.StatusCode.OK, "status is %s" % responses.code())


def _status_code_and_message(client, message, unary_only):
    status = messages_pb2.EchoStatus(code=2, message=message)
    error = expect_status(grpc.StatusCode.UNKNOWN,
                          lambda: client.stub.UnaryCall(messages_pb2.SimpleRequest(response_status=status),
                                                        timeout=RPC_TIMEOUT_S),
                          "UnaryCall with response_status")
    check(error.details() == message, "UnaryCall status message was %r, expected %r" % (error.details(), message))
    if unary_only:
        return
    responses = client.stub.FullDuplexCall(
        iter([messages_pb2.StreamingOutputCallRequest(response_status=status)]), timeout=RPC_TIMEOUT_S)
    error = expect_status(grpc.StatusCode.UNKNOWN, lambda: next(responses), "FullDuplexCall with response_status")
    check(error.details() == message, "FullDuplexCall status message was %r, expected %r" % (error.details(), message))


def status_code_and_message(client):
    _status_code_and_message(client, "test status message", unary_only=False)


def special_status_message(client):
    _status_code_and_message(
        client, "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n", unary_only=True)


def custom_metadata(client):
    metadata = (ECHO_INITIAL, ECHO_TRAILING)

    def check_metadata(initial, trailing, what):
        value = metadata_value(initial, ECHO_INITIAL[0])
        check(value == ECHO_INITIAL[1], "%s: initial metadata %s was %r" % (what, ECHO_INITIAL[0], value))
        value = metadata_value(trailing, ECHO_TRAILING[0])
        check(value == ECHO_TRAILING[1], "%s: trailing metadata %s was %r" % (what, ECHO_TRAILING[0], value))

    response, call = client.stub.UnaryCall.with_call(
        messages_pb2.SimpleRequest(response_size=314159, payload=zeros(271828)),
        metadata=metadata, timeout=RPC_TIMEOUT_S)
    check_zeros(response.payload, 314159)
    check_metadata(call.initial_metadata(), call.trailing_metadata(), "UnaryCall")

    request = messages_pb2.StreamingOutputCallRequest(
        payload=zeros(271828), response_parameters=[messages_pb2.ResponseParameters(size=314159)])
    responses = client.stub.FullDuplexCall(iter([request]), metadata=metadata, timeout=RPC_TIMEOUT_S)
    received = list(responses)
    check(len(received) == 1, "FullDuplexCall sent %d responses, expected 1" % len(received))
    check_zeros(received[0].payload, 314159)
    check_metadata(responses.initial_metadata(), responses.trailing_metadata(), "FullDuplexCall")


def unimplemented_method(client):
    expect_status(grpc.StatusCode.UNIMPLEMENTED,
                  lambda: client.stub.UnimplementedCall(empty_pb2.Empty(), timeout=RPC_TIMEOUT_S),
                  "TestService/UnimplementedCall")


def unimplemented_service(client):
    stub = test_pb2_grpc.UnimplementedServiceStub(client.channel)
    expect_status(grpc.StatusCode.UNIMPLEMENTED,
                  lambda: stub.UnimplementedCall(empty_pb2.Empty(), timeout=RPC_TIMEOUT_S),
                  "UnimplementedService/UnimplementedCall")


def cancel_after_begin(client):
    with Pipe() as pipe:
        future = client.stub.StreamingInputCall.future(pipe, timeout=RPC_TIMEOUT_S)
        future.cancel()
        check(future.cancelled(), "the call is not cancelled")
        check(future.code() == grpc.StatusCode.CANCELLED, "status is %s, expected CANCELLED" % future.code())


def cancel_after_first_response(client):
    with Pipe() as pipe:
        responses = client.stub.FullDuplexCall(pipe, timeout=RPC_TIMEOUT_S)
        pipe.add(messages_pb2.StreamingOutputCallRequest(
            payload=zeros(27182), response_parameters=[messages_pb2.ResponseParameters(size=31415)]))
        response = next(responses, None)
        check(response is not None, "no first response")
        check_zeros(response.payload, 31415)
        responses.cancel()
        expect_status(grpc.StatusCode.CANCELLED, lambda: next(responses),
                      "FullDuplexCall cancelled after the first response")


def timeout_on_sleeping_server(client):
    with Pipe() as pipe:
        responses = client.stub.FullDuplexCall(pipe, timeout=0.001)
        pipe.add(messages_pb2.StreamingOutputCallRequest(payload=zeros(27182)))
        expect_status(grpc.StatusCode.DEADLINE_EXCEEDED, lambda: next(responses),
                      "FullDuplexCall with a 1 ms deadline")


CASES = [
    empty_unary, large_unary, client_compressed_unary, server_compressed_unary, client_streaming,
    client_compressed_streaming, server_streaming, server_compressed_streaming, ping_pong, empty_stream,
    status_code_and_message, special_status_message, custom_metadata, unimplemented_method,
    unimplemented_service, cancel_after_begin, cancel_after_first_response, timeout_on_sleeping_server,
]
CASES_BY_NAME = {case.__name__: case for case in CASES}


def describe(error):
    if isinstance(error, CaseFailure):
        return str(error)
    if isinstance(error, grpc.RpcError) and hasattr(error, "code"):
        return "unexpected RPC failure %s: %r" % (error.code(), error.details())
    return "%s: %s" % (type(error).__name__, error)


def main(argv):
    try:
        flags = interop_support.parse_flags(argv, FLAGS)
        name = flags["test_case"]
        if name != "all" and name not in CASES_BY_NAME:
            raise interop_support.UsageError("unknown test case %r (known: all, %s)" % (name, ", ".join(CASES_BY_NAME)))
        client = Client(flags)
    except (interop_support.UsageError, OSError) as error:
        interop_support.fail_usage("interop_client", error)

    failed = 0
    try:
        for case in CASES if name == "all" else [CASES_BY_NAME[name]]:
            try:
                case(client)
            except Exception as error:  # noqa: BLE001 - any exception fails just this case
                failed += 1
                print("FAILED %s: %s" % (case.__name__, describe(error)), file=sys.stderr, flush=True)
            else:
                print("PASSED %s" % case.__name__, flush=True)
    finally:
        client.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
