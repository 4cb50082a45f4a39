// Reference echo server on C++ gRPC (Debian's libgrpc++-dev), for the benchmark
// that compares NremNet.Rpc against it. Uses the callback API, the C++ library's
// recommended asynchronous server API; both servers answer the same echo.proto.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "echo.grpc.pb.h"

namespace {

class EchoServiceImpl final : public nremnet::bench::v1::EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const nremnet::bench::v1::EchoRequest* request,
                                 nremnet::bench::v1::EchoResponse* response) override {
    response->set_payload(request->payload());
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::string port = argc > 1 ? argv[1] : "0";
  EchoServiceImpl service;
  grpc::ServerBuilder builder;
  int selected = 0;
  builder.AddListeningPort("127.0.0.1:" + port, grpc::InsecureServerCredentials(), &selected);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) {
    std::fprintf(stderr, "could not start the server on port %s\n", port.c_str());
    return 1;
  }
  std::printf("C++ echo server listening on 127.0.0.1:%d\n", selected);
  std::fflush(stdout);
  server->Wait();
  return 0;
}
