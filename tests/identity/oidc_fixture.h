// OidcTest: the registry fixture's small register (registry_fixture.h) plus
// DIR/oidc.db, a SecretBox with a fixed key, and an OidcProvider at
// "https://id.test" on the fixture's ManualClock. Accounts are a map the
// test fills (no Argon2 in these tests): Nguyễn Văn An has a level-2 account
// with a phone, Lê Thị Dung a level-1 account. One confidential client
// ("Cổng dịch vụ", client_secret_basic, every scope) is registered.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/jwt.h"
#include "crypto/secret_box.h"
#include "identity/oidc_db.h"
#include "identity/oidc_provider.h"
#include "registry/registry_fixture.h"

namespace dancu::identity::testing {

inline constexpr std::string_view kIssuer = "https://id.test";
inline constexpr std::string_view kRedirect = "https://rp.test/cb";
inline constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

inline std::string ChallengeOf(std::string_view verifier) {
  return crypto::Base64UrlEncode(crypto::AsBytes(crypto::Sha256(verifier)));
}

inline std::string BasicAuth(std::string_view id, std::string_view secret) {
  return "Basic " + crypto::Base64Encode(std::string(id) + ":" + std::string(secret));
}

// The value of `name` in a URL's query (first occurrence, percent-decoded
// for the characters our encoder escapes).
inline std::string QueryValue(std::string_view url, std::string_view name) {
  size_t q = url.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = url.substr(q + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      std::string out;
      std::string_view v = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '%' && i + 2 < v.size() + 0) {
          out += static_cast<char>(std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16));
          i += 2;
        } else {
          out += v[i];
        }
      }
      return out;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

class OidcTest : public registry::testing::RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    if (HasFatalFailure()) return;
    auto db = OpenOidcDb(dir_.path());
    ASSERT_TRUE(db) << db.error().message;
    odb_ = std::move(*db);
    box_ = std::make_unique<crypto::SecretBox>(
        crypto::SecretBox::FromKey(std::string(32, 'k')).value());
    Account an;
    an.id = husband_.id.number();
    an.citizen_id = husband_.id;
    an.phone = "+84912345678";
    an.level = Level::kTwo;
    accounts_[an.id] = an;
    Account dung;
    dung.id = single_.id.number();
    dung.citizen_id = single_.id;
    dung.phone = "+84987654321";
    dung.level = Level::kOne;
    accounts_[dung.id] = dung;
    auto p = OidcProvider::Open(
        *odb_, *box_, *reg_,
        [this](int64_t id) -> Result<Account> {
          auto it = accounts_.find(id);
          if (it == accounts_.end()) return Fail("identity.not_found", "no account");
          return it->second;
        },
        clock_, std::string(kIssuer));
    ASSERT_TRUE(p) << p.error().message;
    provider_ = std::move(*p);
    ClientSpec spec;
    spec.name = "Cổng dịch vụ";
    spec.logo_uri = "https://rp.test/logo.png";
    spec.redirect_uris = {std::string(kRedirect)};
    spec.post_logout_redirect_uris = {"https://rp.test/bye"};
    spec.scopes = {"openid", "profile", "address", "phone", "citizen_id", "offline_access"};
    auto c = provider_->clients().Add(spec);
    ASSERT_TRUE(c) << c.error().message;
    client_ = *c;
  }
  void TearDown() override { provider_.reset(); }

  Authentication AuthOf(const registry::Citizen& c, int level = 1) {
    Authentication a;
    a.account_id = c.id.number();
    a.citizen_id = c.id;
    a.level = level;
    a.auth_time = clock_.Now();
    a.amr = level == 2 ? std::vector<std::string>{"pwd", "otp"} : std::vector<std::string>{"pwd"};
    return a;
  }

  Params AuthorizeParams(std::string scope = "openid profile") {
    return Params{{"client_id", client_.client_id},     {"redirect_uri", std::string(kRedirect)},
                  {"response_type", "code"},            {"scope", std::move(scope)},
                  {"state", "st-1"},                    {"nonce", "n-1"},
                  {"code_challenge", ChallengeOf(kVerifier)},
                  {"code_challenge_method", "S256"}};
  }

  // A code for `who` (consent given now).
  std::string CodeFor(const registry::Citizen& who, std::string scope = "openid profile",
                      int level = 1) {
    auto r = provider_->ParseAuthorizationRequest(AuthorizeParams(std::move(scope)));
    EXPECT_TRUE(r) << r.error().description;
    if (!r) return {};
    auto step = provider_->Authorize(*r, AuthOf(who, level), true);
    EXPECT_TRUE(step);
    if (!step) return {};
    EXPECT_EQ(step->kind, AuthorizeStep::Kind::kRedirect);
    return QueryValue(step->redirect, "code");
  }

  std::expected<boost::json::object, OAuthError> Exchange(const std::string& code,
                                                          std::string verifier = std::string(kVerifier)) {
    return provider_->Token({{"grant_type", "authorization_code"},
                             {"code", code},
                             {"redirect_uri", std::string(kRedirect)},
                             {"code_verifier", std::move(verifier)}},
                            BasicAuth(client_.client_id, client_.client_secret));
  }

  boost::json::object VerifyWithJwks(std::string_view token) {
    auto jwks = boost::json::parse(provider_->Jwks()).as_object();
    std::vector<std::pair<std::string, crypto::EcKey>> keys;
    for (const auto& k : jwks.at("keys").as_array()) {
      keys.emplace_back(std::string(k.as_object().at("kid").as_string()),
                        crypto::EcKey::FromPublicJwk(k.as_object()).value());
    }
    auto claims = crypto::VerifyJwt(token, [&](std::string_view kid) -> const crypto::EcKey* {
      for (const auto& [k, key] : keys) {
        if (k == kid) return &key;
      }
      return nullptr;
    });
    EXPECT_TRUE(claims) << claims.error().code;
    return claims.value_or(boost::json::object{});
  }

  std::unique_ptr<storage::Database> odb_;
  std::unique_ptr<crypto::SecretBox> box_;
  std::map<int64_t, Account> accounts_;
  std::unique_ptr<OidcProvider> provider_;
  NewClient client_;
};

}  // namespace dancu::identity::testing
