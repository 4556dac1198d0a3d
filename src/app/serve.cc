// dancu serve: every module in one process.
#include <cstdio>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "api/api.h"
#include "app/commands.h"
#include "app/register_files.h"
#include "core/metrics.h"
#include "http/authenticator.h"
#include "http/router.h"
#include "http/server.h"
#include "verify/verification_log.h"
#include "verify/verifier.h"

namespace dancu::app {

int Serve(const ServeOptions& o) {
  auto colon = o.listen.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "dancu: --listen wants HOST:PORT, got \"%s\"\n", o.listen.c_str());
    return 2;
  }
  http::ServerOptions server_options;
  server_options.host = o.listen.substr(0, colon);
  try {
    int port = std::stoi(o.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    server_options.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    std::fprintf(stderr, "dancu: bad port in --listen \"%s\"\n", o.listen.c_str());
    return 2;
  }
  server_options.threads = o.threads;

  auto reg = OpenRegisterIn(o.data_dir, /*create=*/true);
  if (!reg) return 1;

  const char* token = std::getenv("DANCU_ADMIN_TOKEN");
  std::string admin_token = token != nullptr ? token : "";
  if (admin_token.empty()) {
    spdlog::warn("DANCU_ADMIN_TOKEN is not set: only /healthz will answer");
  }
  http::AdminTokenAuthenticator auth(admin_token);
  Metrics metrics;

  // The verification index: built from the register now, then kept live by
  // following the change feed until the server stops.
  auto verifier = verify::Verifier::Create(*reg->registry);
  if (!verifier) {
    std::fprintf(stderr, "dancu: building the verification index: %s\n",
                 verifier.error().message.c_str());
    return 1;
  }
  (*verifier)->Start();
  verify::VerificationLog verification_log(reg->clock);
  server_options.path_body_limits.emplace_back("/v1/verify/batch", api::kVerifyBatchBodyLimit);

  http::Router router;
  api::AddRoutes(router, api::ApiDeps{*reg->registry, metrics, reg->clock, verifier->get(),
                                      &verification_log});

  http::Server server(server_options, router, auth, metrics);
  auto port = server.Listen();
  if (!port) {
    std::fprintf(stderr, "dancu: %s\n", port.error().message.c_str());
    return 1;
  }
  auto count = reg->registry->CountCitizens();
  std::printf("dancu: register %s (%lld citizens)\n", reg->db->Describe().c_str(),
              static_cast<long long>(count.value_or(0)));
  std::printf("dancu: verification index %zu citizens, %zu bytes\n", (*verifier)->size(),
              (*verifier)->MemoryBytes());
  // Tests and scripts read this line to learn the port (--listen HOST:0).
  std::printf("dancu: listening on http://%s:%u\n", server_options.host.c_str(), *port);
  std::fflush(stdout);
  server.Run();
  (*verifier)->Stop();
  std::printf("dancu: stopped\n");
  return 0;
}

}  // namespace dancu::app
