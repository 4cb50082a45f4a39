"""Shared pieces of the Python interop peers: flag parsing, the generated
grpc.testing stubs (and NremNet's peer API stubs, for the peer client), and a
message codec that tells whether each message arrived compressed.

Run with Debian's interpreter (/usr/bin/python3), which has grpcio and protobuf.
"""

import gzip
import hashlib
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_ROOT = os.path.normpath(os.path.join(HERE, "..", "protos"))
PROTO_FILES = ("grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto")
# NremNet's own contracts, for a client of a node's peer API.
NREMNET_PROTO_ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "proto"))
NREMNET_PEER_PROTO_FILES = ("nremnet/federation/v1/federation.proto", "nremnet/aggregates/v1/aggregates.proto")
GENERATED_ROOT = os.path.join(HERE, ".generated")


class UsageError(Exception):
    """A command line the program cannot run."""


def parse_flags(argv, spec):
    """Parses flags in the interop harness's style.

    spec maps each known flag name to its default; a bool default makes the flag
    boolean, which may also be given bare (--use_tls). Both --name=value and
    --name value are accepted.
    """
    values = dict(spec)
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--"):
            raise UsageError("unexpected argument %r: flags look like --name=value" % arg)
        name, has_value, value = arg[2:].partition("=")
        if name not in spec:
            raise UsageError("unknown flag --%s (known: %s)" % (name, ", ".join("--" + n for n in sorted(spec))))
        is_bool = isinstance(spec[name], bool)
        if not has_value:
            if is_bool and (i + 1 >= len(argv) or argv[i + 1].lower() not in ("true", "false", "1", "0")):
                value = "true"
            elif i + 1 < len(argv):
                i += 1
                value = argv[i]
            else:
                raise UsageError("flag --%s needs a value" % name)
        if is_bool:
            lowered = value.lower()
            if lowered not in ("true", "false", "1", "0"):
                raise UsageError("flag --%s takes true or false, not %r" % (name, value))
            values[name] = lowered in ("true", "1")
        elif isinstance(spec[name], int):
            try:
                values[name] = int(value)
            except ValueError:
                raise UsageError("flag --%s takes an integer, not %r" % (name, value)) from None
        else:
            values[name] = value
        i += 1
    return values


def _proto_digest(proto_root, proto_files):
    """A digest of the protos and the generator, naming one generation."""
    digest = hashlib.sha256()
    for name in proto_files:
        digest.update(name.encode())
        with open(os.path.join(proto_root, name), "rb") as f:
            digest.update(f.read())
    digest.update(_protoc().encode())
    digest.update(_plugin().encode())
    return digest.hexdigest()[:16]


def _protoc():
    return os.environ.get("PROTOC", "protoc")


def _plugin():
    return os.environ.get("GRPC_PYTHON_PLUGIN", "/usr/bin/grpc_python_plugin")


def _generate(proto_root=PROTO_ROOT, proto_files=PROTO_FILES):
    """Generates the stubs once per proto digest and returns their directory.

    Each generation goes to a fresh temporary directory that is renamed into
    place, so a client and a server starting at the same moment never see a
    half-written tree.
    """
    target = os.path.join(GENERATED_ROOT, _proto_digest(proto_root, proto_files))
    if os.path.isdir(target):
        return target
    os.makedirs(GENERATED_ROOT, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="tmp-", dir=GENERATED_ROOT)
    try:
        command = [
            _protoc(),
            "-I", proto_root,
            "--python_out=" + scratch,
            "--grpc_python_out=" + scratch,
            "--plugin=protoc-gen-grpc_python=" + _plugin(),
        ] + [os.path.join(proto_root, name) for name in proto_files]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("protoc failed (%s): %s" % (" ".join(command), result.stderr.strip()))
        try:
            os.rename(scratch, target)
        except OSError:
            if not os.path.isdir(target):
                raise
            # Another process generated the same digest first; its copy is as good.
            shutil.rmtree(scratch, ignore_errors=True)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return target


def load_protos():
    """Returns (empty_pb2, messages_pb2, test_pb2_grpc), generating them when needed.

    The protos live at grpc/testing/*.proto, so the generated modules are
    grpc.testing.*_pb2 and import one another under that name. "grpc" is the
    grpcio package itself, so the generated grpc/ directory is added to that
    package's search path rather than shadowing it.
    """
    import grpc

    generated = _generate()
    package_dir = os.path.join(generated, "grpc")
    if package_dir not in grpc.__path__:
        grpc.__path__.append(package_dir)
    empty_pb2 = importlib.import_module("grpc.testing.empty_pb2")
    messages_pb2 = importlib.import_module("grpc.testing.messages_pb2")
    test_pb2_grpc = importlib.import_module("grpc.testing.test_pb2_grpc")
    return empty_pb2, messages_pb2, test_pb2_grpc


def load_nremnet_peer_protos():
    """Returns (federation_pb2, federation_pb2_grpc, aggregates_pb2, aggregates_pb2_grpc) of NremNet's peer API,
    generated from the repository's proto/ when needed. The modules are nremnet.<area>.v1.*, under a directory added
    to sys.path.
    """
    generated = _generate(NREMNET_PROTO_ROOT, NREMNET_PEER_PROTO_FILES)
    if generated not in sys.path:
        sys.path.insert(0, generated)
    return (
        importlib.import_module("nremnet.federation.v1.federation_pb2"),
        importlib.import_module("nremnet.federation.v1.federation_pb2_grpc"),
        importlib.import_module("nremnet.aggregates.v1.aggregates_pb2"),
        importlib.import_module("nremnet.aggregates.v1.aggregates_pb2_grpc"),
    )


# --- Seeing per-message compression -------------------------------------------
#
# grpcio has no API that reports a received message's compressed flag, and the
# grpc-encoding header is consumed by the core: it is not in
# invocation_metadata() on the server nor in initial_metadata() on the client.
# What grpcio does honour (checked with grpcio 1.51) is the core channel
# argument "grpc.per_message_decompression": set to 0 on a server or a channel,
# the core hands the application each message's bytes as they were on the
# wire, still compressed when the sender set the message's compressed flag and
# plain otherwise. The codec below is given those bytes, recognises a
# compressed message by its container format, decompresses it itself and
# records that it was compressed. This is per message, so a call whose
# messages are compressed differently is checked message by message.
#
# A gzip message starts 1f 8b, which is never valid protobuf (wire type 7), so
# gzip is recognised exactly. A deflate (zlib) message is recognised by its
# two-byte header and accepted only if it inflates completely with a matching
# Adler-32, which plain protobuf bytes do not do in practice. Other encodings
# are not recognised; the peers only ever negotiate gzip and deflate.

DISABLE_DECOMPRESSION = ("grpc.per_message_decompression", 0)


def unwrap(data):
    """Returns (plain bytes, whether data was a compressed message)."""
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data), True
    if len(data) >= 2 and data[0] & 0x0F == 8 and data[0] >> 4 <= 7 and (data[0] << 8 | data[1]) % 31 == 0:
        inflater = zlib.decompressobj()
        try:
            plain = inflater.decompress(data)
            if inflater.eof and not inflater.unused_data:
                return plain, True
        except zlib.error:
            pass
    return data, False


class Received(object):
    """A decoded message and whether it arrived compressed."""

    __slots__ = ("message", "compressed")

    def __init__(self, message, compressed):
        self.message = message
        self.compressed = compressed


def observing_deserializer(message_type):
    """A deserializer, for a channel or server without decompression, giving Received."""

    def deserialize(data):
        plain, compressed = unwrap(data)
        return Received(message_type.FromString(plain), compressed)

    return deserialize


def fail_usage(program, error):
    print("%s: %s" % (program, error), file=sys.stderr)
    sys.exit(2)
