#!/usr/bin/python3
"""Calls a NremNet node's peer API from grpcio, as another country's node written
in another language would: mutual TLS with a certificate of the network CA, the
stubs generated from the repository's proto/ files.

    /usr/bin/python3 tests/interop/python/peer_client.py --server_port=7443 \
        --ca_file=pki/ca.crt --cert_file=pki-SE/SE.crt --key_file=pki-SE/SE.key --method=hello
    /usr/bin/python3 tests/interop/python/peer_client.py ... --method=query \
        --indicator=THB_VICT_REG --start_year=2024 --end_year=2024

Prints the response as JSON (proto field names) and exits 0; on a gRPC error
prints "FAILED <CODE>: <details>" to stderr and exits 1; exits 2 on a bad
command line.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402

import interop_support  # noqa: E402

FLAGS = {
    "server_host": "127.0.0.1",
    "server_port": 0,
    "server_host_override": "",
    "ca_file": "",
    "cert_file": "",
    "key_file": "",
    "method": "hello",
    "indicator": "THB_VICT_REG",
    "start_year": 0,
    "end_year": 0,
    "timeout_s": 30,
}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main(argv):
    try:
        flags = interop_support.parse_flags(argv, FLAGS)
    except interop_support.UsageError as error:
        interop_support.fail_usage("peer_client", error)
    if not flags["server_port"] or not flags["ca_file"]:
        interop_support.fail_usage("peer_client", "--server_port and --ca_file are required")
    if flags["method"] not in ("hello", "query"):
        interop_support.fail_usage("peer_client", "--method is hello or query")

    federation_pb2, federation_grpc, aggregates_pb2, aggregates_grpc = interop_support.load_nremnet_peer_protos()
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(flags["ca_file"]),
        private_key=read(flags["key_file"]) if flags["key_file"] else None,
        certificate_chain=read(flags["cert_file"]) if flags["cert_file"] else None,
    )
    options = []
    if flags["server_host_override"]:
        options.append(("grpc.ssl_target_name_override", flags["server_host_override"]))
    target = "%s:%d" % (flags["server_host"], flags["server_port"])
    with grpc.secure_channel(target, credentials, options=options) as channel:
        try:
            if flags["method"] == "hello":
                response = federation_grpc.FederationServiceStub(channel).Hello(
                    federation_pb2.HelloRequest(), timeout=flags["timeout_s"])
            else:
                response = aggregates_grpc.AggregateServiceStub(channel).Query(
                    aggregates_pb2.QueryRequest(
                        indicator=flags["indicator"], start_year=flags["start_year"], end_year=flags["end_year"]),
                    timeout=flags["timeout_s"])
        except grpc.RpcError as error:
            print("FAILED %s: %s" % (error.code().name, error.details()), file=sys.stderr)
            return 1
    print(json_format.MessageToJson(response, preserving_proto_field_name=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
