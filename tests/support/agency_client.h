// An agency API client for end-to-end tests, set up through the real CLI:
// `dancu agencies add` and `dancu agencies add-client --generate-key
// --policy`, then client credentials with private_key_jwt against the
// running server (POST /v1/agency/token). Assertions are signed in process
// (crypto/jwt.h) so tests can also forge, expire and replay them. Link
// dancu_crypto.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "crypto/ec_key.h"
#include "crypto/encoding.h"
#include "crypto/jwt.h"
#include "crypto/random_token.h"
#include "support/http_client.h"
#include "support/process.h"

namespace dancu::testing {

struct TestAgencyClient {
  std::string client_id;
  std::string key_pem;  // the agency's private key
};

inline std::string TrimLine(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Adds agency `name` (unless it exists) and one client with `policy_json`.
inline TestAgencyClient AddTestAgencyClient(const std::string& data_dir, const std::string& name,
                                            const std::string& policy_json) {
  RunDancu({"agencies", "add", "--data", data_dir, "--name", name, "--kind", "enterprise",
            "--display-name", "Agency " + name});
  std::string stem = data_dir + "/test-" + name + "-" + crypto::RandomToken(6);
  {
    std::ofstream(stem + ".policy.json") << policy_json;
  }
  auto r = RunDancu({"agencies", "add-client", "--data", data_dir, "--agency", name,
                     "--generate-key", stem + ".pem", "--policy", stem + ".policy.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(stem + ".pem");
  std::stringstream pem;
  pem << in.rdbuf();
  return {TrimLine(r.out), pem.str()};
}

// A client assertion for `aud`, issued `iat_offset` seconds from now and
// valid for `lifetime` seconds; a fresh jti unless one is given.
inline std::string ClientAssertion(const TestAgencyClient& c, const std::string& aud,
                                   int64_t iat_offset = 0, int64_t lifetime = 120,
                                   std::string jti = {}) {
  auto key = crypto::EcKey::FromPrivatePem(c.key_pem);
  EXPECT_TRUE(key.has_value());
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count() +
                iat_offset;
  if (jti.empty()) jti = crypto::RandomToken(16);
  boost::json::object claims{{"iss", c.client_id}, {"sub", c.client_id}, {"aud", aud},
                             {"iat", now},         {"exp", now + lifetime}, {"jti", jti}};
  return crypto::SignJwt(*key, key->Thumbprint(), claims);
}

inline std::string TokenEndpoint(uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/v1/agency/token";
}

inline test::HttpResult RequestAgencyToken(test::HttpClient& http, const std::string& assertion,
                                           const std::string& scope = {}) {
  std::string body =
      "grant_type=client_credentials&client_assertion_type=" +
      crypto::PercentEncode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
      "&client_assertion=" + assertion;
  if (!scope.empty()) body += "&scope=" + crypto::PercentEncode(scope);
  return http.Request(boost::beast::http::verb::post, "/v1/agency/token", body,
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
}

// An access token for the client; waits up to 1.5 s for a server that
// started before the client was added (it reloads its members every second).
inline std::string AgencyAccessToken(test::HttpClient& http, uint16_t port,
                                     const TestAgencyClient& c, const std::string& scope = {}) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  for (;;) {
    auto r = RequestAgencyToken(http, ClientAssertion(c, TokenEndpoint(port)), scope);
    if (r.status == 200) {
      return std::string(boost::json::parse(r.body).at("access_token").as_string());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "no access token: " << r.status << " " << r.body;
      return {};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace dancu::testing
