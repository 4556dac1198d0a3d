// POST /v1/reconcile, GET /v1/reconcile, GET /v1/reconcile/{job},
// GET /v1/reconcile/{job}/report
//
// Bulk reconciliation as background jobs (verify/reconcile_jobs.h). The
// upload is the CSV file itself, streamed by the server to a temporary file
// (BodyMode::kFile, any size up to ServerOptions::upload_limit) and moved
// into the job; `?map=input_col=field,...` names columns
// (verify/reconcile_input.h). A header or map the job could not use is
// refused at once (400 reconcile.*), so an accepted job (202, Location) only
// fails on I/O. Agencies may use these routes and see only their own jobs;
// register staff see every job. A job that is not the caller's is 404.
#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/agency_access.h"
#include "api/api.h"
#include "http/response.h"
#include "hub/members.h"
#include "hub/minimizer.h"
#include "verify/reconcile_jobs.h"

namespace dancu::api {
namespace {

using boost::beast::http::verb;

bool MaySee(const http::RequestContext& ctx, const verify::JobInfo& job) {
  return ctx.principal.kind != http::Principal::Kind::kAgency || job.owner == ctx.principal.id;
}

std::string JobPath(const std::string& id) { return "/v1/reconcile/" + id; }

boost::json::object JobJson(const verify::JobInfo& j) {
  boost::json::object o;
  o["id"] = j.id;
  o["state"] = verify::ToString(j.state);
  o["owner"] = j.owner;
  o["map"] = j.map;
  o["created"] = j.created;
  o["started"] = j.started.empty() ? boost::json::value(nullptr) : boost::json::value(j.started);
  o["finished"] = j.finished.empty() ? boost::json::value(nullptr) : boost::json::value(j.finished);
  o["rows_done"] = j.rows;
  o["bytes_done"] = j.bytes;
  o["total_bytes"] = j.total_bytes;
  o["rate"] = j.rate();
  auto eta = j.eta_seconds();
  o["eta_seconds"] = eta ? boost::json::value(*eta) : boost::json::value(nullptr);
  if (j.state == verify::JobState::kDone) {
    boost::system::error_code ec;
    boost::json::value summary = boost::json::parse(j.summary_json, ec);
    o["summary"] = ec ? boost::json::value(nullptr) : std::move(summary);
    o["report"] = JobPath(j.id) + "/report";
  }
  if (j.error) {
    boost::json::object e;
    e["code"] = j.error->code;
    e["message"] = j.error->message;
    o["error"] = std::move(e);
  }
  return o;
}

http::Response NotFound(std::string_view id) {
  return http::ProblemResponse(
      Error{"reconcile.not_found", "no reconciliation job " + std::string(id), ""});
}

}  // namespace

void AddReconcileRoutes(http::Router& router, ApiDeps deps) {
  verify::ReconcileJobs* jobs = deps.reconcile_jobs;

  // POST /v1/reconcile?map=...
  router.Add(
      verb::post, "/v1/reconcile",
      [jobs, deps](http::RequestContext& ctx) {
        auto grant = Admit(ctx, deps, hub::Operation::kReconcile);
        if (!grant) return std::move(grant.error());
        std::filesystem::path upload = ctx.body_file();
        if (upload.empty()) {
          // A buffered body (handler tests): keep it in a file like an upload.
          upload = std::filesystem::temp_directory_path() /
                   ("dancu-reconcile-" + ctx.request_id() + ".csv");
          std::ofstream out(upload, std::ios::binary | std::ios::trunc);
          out << ctx.body();
          if (!out.flush()) {
            return http::ProblemResponse(500, "internal.error", "cannot store the upload");
          }
        }
        auto job = jobs->Submit(upload, ctx.query("map").value_or(""), ctx.principal.id);
        if (!job) {
          std::error_code ignored;
          if (ctx.body_file().empty()) std::filesystem::remove(upload, ignored);
          return http::ProblemResponse(job.error());
        }
        http::Response r = http::JsonResponse(202, JobJson(*job));
        r.headers.emplace_back("Location", JobPath(job->id));
        return r;
      },
      http::Access::kAgency, http::BodyMode::kFile);

  // GET /v1/reconcile
  router.Add(
      verb::get, "/v1/reconcile",
      [jobs, deps](http::RequestContext& ctx) {
        auto grant = Admit(ctx, deps, hub::Operation::kReconcile);
        if (!grant) return std::move(grant.error());
        boost::json::array list;
        for (const verify::JobInfo& j : jobs->List()) {
          if (MaySee(ctx, j)) list.push_back(JobJson(j));
        }
        boost::json::object o;
        o["jobs"] = std::move(list);
        return http::JsonResponse(200, o);
      },
      http::Access::kAgency);

  // GET /v1/reconcile/{job}
  router.Add(
      verb::get, "/v1/reconcile/{job}",
      [jobs, deps](http::RequestContext& ctx) {
        auto grant = Admit(ctx, deps, hub::Operation::kReconcile);
        if (!grant) return std::move(grant.error());
        std::string_view id = ctx.path_param("job");
        auto job = verify::IsJobId(id) ? jobs->Get(id) : std::nullopt;
        if (!job || !MaySee(ctx, *job)) return NotFound(id);
        return http::JsonResponse(200, JobJson(*job));
      },
      http::Access::kAgency);

  // GET /v1/reconcile/{job}/report
  router.Add(
      verb::get, "/v1/reconcile/{job}/report",
      [jobs, deps](http::RequestContext& ctx) {
        auto grant = Admit(ctx, deps, hub::Operation::kReconcile);
        if (!grant) return std::move(grant.error());
        std::string_view id = ctx.path_param("job");
        auto job = verify::IsJobId(id) ? jobs->Get(id) : std::nullopt;
        if (!job || !MaySee(ctx, *job)) return NotFound(id);
        std::filesystem::path path = jobs->ReportPath(id);
        if (path.empty()) {
          return http::ProblemResponse(Error{"reconcile.not_ready",
                                             "job " + std::string(id) + " is " +
                                                 std::string(verify::ToString(job->state)) +
                                                 "; the report is ready once it is done",
                                             ""});
        }
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        if (!in) return http::ProblemResponse(500, "internal.error", "cannot read the report");
        // The report's suggested ids are register data: minimized like JSON
        // answers (an agency without citizen_id gets its pseudonyms).
        auto report = hub::MinimizeCsvIds(
            *grant,
            [&](const CitizenId& c) { return deps.members->AgencyToken(grant->agency, c); },
            ss.str(), "suggested_id");
        if (!report) return http::ProblemResponse(500, "internal.error", "cannot read the report");
        http::Response r = http::TextResponse(200, "text/csv; charset=utf-8", std::move(*report));
        r.headers.emplace_back("Content-Disposition",
                               "attachment; filename=\"reconcile-" + std::string(id) + ".csv\"");
        return r;
      },
      http::Access::kAgency);
}

}  // namespace dancu::api
