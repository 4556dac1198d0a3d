// dancu serve: every module in one process.
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "api/api.h"
#include "app/audit_files.h"
#include "app/commands.h"
#include "app/identity_services.h"
#include "app/register_files.h"
#include "app/hub_services.h"
#include "core/metrics.h"
#include "http/authenticator.h"
#include "http/router.h"
#include "http/server.h"
#include "web/csrf.h"
#include "web/officer_auth.h"
#include "web/web.h"
#include "verify/reconcile_jobs.h"
#include "verify/verification_log.h"
#include "verify/verifier.h"
#include "verify/verify_db.h"

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
  Metrics metrics;

  // verify.db: the verification record, apart from the register so that
  // verification never takes the register's write lock.
  auto verify_db = verify::OpenVerifyDb(o.data_dir);
  if (!verify_db) {
    std::fprintf(stderr, "dancu: %s\n", verify_db.error().message.c_str());
    return 1;
  }

  // The verification index: loaded from DIR/verify-index.snap (or built from
  // the register), then kept live by following the change feed until the
  // server stops; the snapshot is rewritten at shutdown.
  auto [verifier, index_seconds, index_origin] = OpenVerifierIn(o.data_dir, *reg->registry);
  if (!verifier) return 1;
  verifier->Start();
  auto verification_log = verify::VerificationLog::Open(**verify_db, reg->clock);
  if (!verification_log) {
    std::fprintf(stderr, "dancu: %s\n", verification_log.error().message.c_str());
    return 1;
  }
  server_options.path_body_limits.emplace_back("/v1/verify/batch", api::kVerifyBatchBodyLimit);
  server_options.path_body_limits.emplace_back("/v1/agency/sectoral-records",
                                               api::kSectoralBodyLimit);

  // The tamper-evident access log (DIR/audit.db, issue 5).
  auto audit = OpenAuditLogIn(o.data_dir, reg->clock);
  if (!audit) {
    std::fprintf(stderr, "dancu: access log: %s\n", audit.error().message.c_str());
    return 1;
  }

  // The data-sharing hub (DIR/hub.db, issue 5): agencies, clients and
  // policies; webhooks, whose pending deliveries of the last run are sent
  // again while the feed is followed from where it stopped.
  auto hub = OpenHubServicesIn(o.data_dir, reg->registry.get(), audit->log.get(), reg->clock,
                               reg->random);
  if (!hub) {
    std::fprintf(stderr, "dancu: hub: %s\n", hub.error().message.c_str());
    return 1;
  }
  hub->dispatcher->Start();

  // The admin token, then agency access tokens ("Bearer dancu_at_...", from
  // POST /v1/agency/token).
  http::ChainAuthenticator auth;
  auth.Add(std::make_unique<http::AdminTokenAuthenticator>(admin_token));
  auth.Add(std::make_unique<http::ApiKeyAuthenticator>(
      std::string(hub::kAgencyTokenPrefix),
      [members = hub->members.get()](std::string_view token) -> std::optional<http::Principal> {
        auto id = members->AuthenticateToken(token);
        if (!id) return std::nullopt;
        return http::Principal{http::Principal::Kind::kAgency, std::move(id->client_id), id->scope};
      }));

  // Bulk reconciliation jobs in DIR/reconcile; uploads land beside them, on
  // the same file system, so accepting one is a rename.
  const std::filesystem::path reconcile_dir = std::filesystem::path(o.data_dir) / "reconcile";
  auto reconcile_jobs =
      verify::ReconcileJobs::Open(reconcile_dir, *verifier, reg->clock, reg->random);
  if (!reconcile_jobs) {
    std::fprintf(stderr, "dancu: %s\n", reconcile_jobs.error().message.c_str());
    return 1;
  }
  server_options.upload_dir = reconcile_dir / "uploads";
  std::error_code upload_dir_error;
  std::filesystem::create_directories(server_options.upload_dir, upload_dir_error);
  if (upload_dir_error) {
    std::fprintf(stderr, "dancu: cannot create %s: %s\n", server_options.upload_dir.c_str(),
                 upload_dir_error.message().c_str());
    return 1;
  }

  // Electronic identity and the OpenID Connect provider (identity.db, oidc.db).
  // The issuer is the configured public URL, or http://HOST:PORT once the
  // socket is bound (below); handlers read it only after that.
  std::string issuer = o.issuer;
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  auto identity = OpenIdentityIn(o.data_dir, *reg->registry, reg->clock, reg->random, issuer);
  if (!identity) return 1;
  // Officers' bearer tokens ("dancu_ot_..."): the router lets them reach only
  // the routes opened to officers (http::Access::kOfficer).
  auth.Add(web::MakeOfficerAuthenticator(*identity->officers));
  web::Csrf csrf;

  http::Router router;
  api::ApiDeps deps{*reg->registry, metrics, reg->clock, verifier.get(), verification_log->get()};
  deps.reconcile_jobs = reconcile_jobs->get();
  deps.audit_log = audit->log.get();
  deps.officers = identity->officers.get();
  deps.webhook_subscriptions = hub->subscriptions.get();
  deps.webhook_dispatcher = hub->dispatcher.get();
  deps.members = hub->members.get();
  deps.ekyc_consents = hub->ekyc_consents.get();
  deps.linked_documents = hub->linked_documents.get();
  api::AddRoutes(router, deps);
  web::WebDeps web_deps{*reg->registry, reg->clock, csrf};
  web_deps.accounts = identity->accounts.get();
  web_deps.sessions = identity->sessions.get();
  web_deps.officers = identity->officers.get();
  web_deps.oidc = identity->oidc.get();
  web_deps.audit_log = audit->log.get();
  web_deps.members = hub->members.get();
  web_deps.ekyc_consents = hub->ekyc_consents.get();
  web_deps.linked_documents = hub->linked_documents.get();
  web_deps.mtls_header = o.mtls_header;
  web::AddWebRoutes(router, web_deps);

  http::Server server(server_options, router, auth, metrics);
  auto port = server.Listen();
  if (!port) {
    std::fprintf(stderr, "dancu: %s\n", port.error().message.c_str());
    return 1;
  }
  if (issuer.empty()) {
    issuer = "http://" + server_options.host + ":" + std::to_string(*port);
    identity->oidc->set_issuer(issuer);
  }
  auto count = reg->registry->CountCitizens();
  std::printf("dancu: register %s (%lld citizens)\n", reg->db->Describe().c_str(),
              static_cast<long long>(count.value_or(0)));
  std::printf("dancu: verification index %zu citizens, %zu bytes, %s in %.1f s\n",
              verifier->size(), verifier->MemoryBytes(), std::string(index_origin).c_str(),
              index_seconds);
  // Tests and scripts read this line to learn the port (--listen HOST:0).
  std::printf("dancu: OpenID Connect issuer %s\n", issuer.c_str());
  std::printf("dancu: listening on http://%s:%u\n", server_options.host.c_str(), *port);
  std::fflush(stdout);
  server.Run();
  identity->watcher->Stop();
  hub->dispatcher->Stop();  // attempts in flight stay pending: sent at the next start
  (*reconcile_jobs)->Stop();    // a running job is queued again at the next start
  (*verification_log)->Stop();  // commits the queued records
  audit->log->Stop();           // commits the queued entries, signs a final head
  verifier->Stop();           // writes the index snapshot
  std::printf("dancu: stopped\n");
  return 0;
}

}  // namespace dancu::app
