#!/usr/bin/python3
"""A gRPC interop test server (grpc.testing.TestService) on grpcio.

    /usr/bin/python3 tests/interop/python/interop_server.py --port=0
    /usr/bin/python3 tests/interop/python/interop_server.py --port=50070 --use_tls \
        --tls_cert_file=server.pem --tls_key_file=server.key

Prints "Python interop server listening on HOST:PORT" once serving and serves
until SIGTERM or SIGINT. UnimplementedCall is deliberately not registered.

expect_compressed is checked against each request message's real compression:
the server turns the core's decompression off and decodes messages itself (see
interop_support), since grpcio exposes neither the compressed flag nor the
grpc-encoding header to a handler.
"""

import os
import signal
import sys
import threading
import time
from concurrent import futures

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402

import interop_support  # noqa: E402

ECHO_INITIAL_KEY = "x-grpc-test-echo-initial"
ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin"
SERVICE = "grpc.testing.TestService"

FLAGS = {
    "port": 0,
    "host": "127.0.0.1",
    "use_tls": False,
    "tls_cert_file": "",
    "tls_key_file": "",
}

STATUS_BY_CODE = {code.value[0]: code for code in grpc.StatusCode}

empty_pb2, messages_pb2, _ = interop_support.load_protos()


def _payload(size):
    return messages_pb2.Payload(body=bytes(size))


def _check_expected_compression(received, context):
    """Enforces a request's expect_compressed against how the message really arrived.

    The server runs with per-message decompression off, so each request is
    decoded by interop_support.observing_deserializer, which sees the message
    bytes as sent and so knows whether that message was compressed (see the
    comment there). Like the reference C++ server, a set expect_compressed is
    checked both ways: true needs a compressed message, false an uncompressed one.
    """
    if not received.message.HasField("expect_compressed"):
        return
    wanted = received.message.expect_compressed.value
    if wanted and not received.compressed:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Expected a compressed request message, got an uncompressed one.")
    if not wanted and received.compressed:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "Expected an uncompressed request message, got a compressed one.")


def _echo_status(request, context):
    status = request.response_status
    if status.code != 0:
        context.abort(STATUS_BY_CODE.get(status.code, grpc.StatusCode.UNKNOWN), status.message)


class _Echo(object):
    """The metadata a call asked to have echoed, sent when the call's response headers go out."""

    def __init__(self, context):
        self._context = context
        self._initial = []
        self._sent = False
        for key, value in context.invocation_metadata():
            if key == ECHO_INITIAL_KEY:
                self._initial.append((key, value))
            elif key == ECHO_TRAILING_KEY:
                context.set_trailing_metadata(((key, value),))

    def send_headers(self):
        """Sends the response headers now, with the echoed initial metadata, if not yet sent."""
        if not self._sent:
            self._sent = True
            if self._initial:
                self._context.send_initial_metadata(tuple(self._initial))


def _streamed_responses(request, context, echo, compression_on):
    """Yields one response per ResponseParameters, each compressed only when asked.

    The call's compression must be chosen before its response headers are sent.
    compression_on tells whether gzip is on for the call; messages not asked to
    be compressed are then sent with the next-message compression turned off.
    """
    for parameters in request.response_parameters:
        if parameters.interval_us > 0:
            time.sleep(parameters.interval_us / 1e6)
            if not context.is_active():
                return
        echo.send_headers()
        if compression_on and not parameters.compressed.value:
            context.disable_next_message_compression()
        yield messages_pb2.StreamingOutputCallResponse(payload=_payload(parameters.size))


def _wants_compression(requests):
    return any(p.compressed.value for r in requests for p in r.response_parameters)


class TestService(object):
    def EmptyCall(self, received, context):
        return empty_pb2.Empty()

    def UnaryCall(self, received, context):
        request = received.message
        if request.response_compressed.value:
            context.set_compression(grpc.Compression.Gzip)
        echo = _Echo(context)
        echo.send_headers()
        _check_expected_compression(received, context)
        _echo_status(request, context)
        return messages_pb2.SimpleResponse(payload=_payload(request.response_size))

    def StreamingOutputCall(self, received, context):
        request = received.message
        compression_on = _wants_compression([request])
        if compression_on:
            context.set_compression(grpc.Compression.Gzip)
        echo = _Echo(context)
        echo.send_headers()
        _echo_status(request, context)
        for response in _streamed_responses(request, context, echo, compression_on):
            yield response

    def StreamingInputCall(self, request_iterator, context):
        total = 0
        for received in request_iterator:
            _check_expected_compression(received, context)
            total += len(received.message.payload.body)
        return messages_pb2.StreamingInputCallResponse(aggregated_payload_size=total)

    def FullDuplexCall(self, request_iterator, context):
        # Response headers wait for the first response (or the end of the call),
        # so the first request can still turn gzip on for the call. A later
        # request asking for compression after the headers went out without it
        # gets uncompressed responses: the call's encoding cannot change then.
        echo = _Echo(context)
        compression_on = None
        for received in request_iterator:
            request = received.message
            if compression_on is None:
                compression_on = _wants_compression([request])
                if compression_on:
                    context.set_compression(grpc.Compression.Gzip)
            _echo_status(request, context)
            for response in _streamed_responses(request, context, echo, compression_on):
                yield response
        echo.send_headers()

    def HalfDuplexCall(self, request_iterator, context):
        requests = [received.message for received in request_iterator]
        compression_on = _wants_compression(requests)
        if compression_on:
            context.set_compression(grpc.Compression.Gzip)
        echo = _Echo(context)
        for request in requests:
            _echo_status(request, context)
            for response in _streamed_responses(request, context, echo, compression_on):
                yield response
        echo.send_headers()


def _handlers(service):
    """TestService's handlers, with requests decoded by the compression-observing codec."""

    def handler(kind, method, request_type, response_type):
        return kind(
            getattr(service, method),
            request_deserializer=interop_support.observing_deserializer(request_type),
            response_serializer=response_type.SerializeToString,
        )

    return grpc.method_handlers_generic_handler(SERVICE, {
        "EmptyCall": handler(grpc.unary_unary_rpc_method_handler, "EmptyCall", empty_pb2.Empty, empty_pb2.Empty),
        "UnaryCall": handler(grpc.unary_unary_rpc_method_handler, "UnaryCall",
                             messages_pb2.SimpleRequest, messages_pb2.SimpleResponse),
        "StreamingOutputCall": handler(grpc.unary_stream_rpc_method_handler, "StreamingOutputCall",
                                       messages_pb2.StreamingOutputCallRequest, messages_pb2.StreamingOutputCallResponse),
        "StreamingInputCall": handler(grpc.stream_unary_rpc_method_handler, "StreamingInputCall",
                                      messages_pb2.StreamingInputCallRequest, messages_pb2.StreamingInputCallResponse),
        "FullDuplexCall": handler(grpc.stream_stream_rpc_method_handler, "FullDuplexCall",
                                  messages_pb2.StreamingOutputCallRequest, messages_pb2.StreamingOutputCallResponse),
        "HalfDuplexCall": handler(grpc.stream_stream_rpc_method_handler, "HalfDuplexCall",
                                  messages_pb2.StreamingOutputCallRequest, messages_pb2.StreamingOutputCallResponse),
    })


def main(argv):
    try:
        flags = interop_support.parse_flags(argv, FLAGS)
        if flags["use_tls"] and not (flags["tls_cert_file"] and flags["tls_key_file"]):
            raise interop_support.UsageError("--use_tls needs --tls_cert_file and --tls_key_file (PEM)")
    except interop_support.UsageError as error:
        interop_support.fail_usage("interop_server", error)

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=32),
        # Messages reach the codec as sent, so it can tell compressed ones apart.
        options=[interop_support.DISABLE_DECOMPRESSION],
    )
    server.add_generic_rpc_handlers((_handlers(TestService()),))
    address = "%s:%d" % (flags["host"], flags["port"])
    if ":" in flags["host"]:
        address = "[%s]:%d" % (flags["host"], flags["port"])
    if flags["use_tls"]:
        with open(flags["tls_key_file"], "rb") as f:
            key = f.read()
        with open(flags["tls_cert_file"], "rb") as f:
            chain = f.read()
        port = server.add_secure_port(address, grpc.ssl_server_credentials(((key, chain),)))
    else:
        port = server.add_insecure_port(address)
    if port == 0:
        print("interop_server: could not listen on %s" % address, file=sys.stderr)
        return 1
    server.start()

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    print("Python interop server listening on %s:%d" % (flags["host"], port), flush=True)
    while not stopping.wait(3600):
        pass
    server.stop(grace=1).wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
