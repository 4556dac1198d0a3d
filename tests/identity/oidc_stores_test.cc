// The provider's stores: clients (validation, secrets, disable), the signing
// key ring (rotation and publication), consents, and authorization codes.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "identity/authorization_codes.h"
#include "oidc_fixture.h"

namespace dancu::identity::testing {
namespace {

ClientSpec Spec() {
  ClientSpec s;
  s.name = "RP";
  s.redirect_uris = {"https://rp.example/cb"};
  s.scopes = {"openid", "profile"};
  return s;
}

class ClientsTest : public OidcTest {};

TEST_F(ClientsTest, AddReturnsASecretThatOnlyItsHashIsStored) {
  auto c = provider_->clients().Add(Spec());
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->client_secret.starts_with("dancu_cs_"));
  auto found = provider_->clients().Find(c->client_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->secret_hash, HashClientSecret(c->client_secret));
  EXPECT_EQ(found->secret_hash.find(c->client_secret), std::string::npos);
  EXPECT_TRUE(Clients::CheckSecret(*found, c->client_secret));
  EXPECT_FALSE(Clients::CheckSecret(*found, c->client_secret + "x"));
  EXPECT_FALSE(Clients::CheckSecret(*found, ""));
}

TEST_F(ClientsTest, RejectsBadRegistrations) {
  struct Case {
    std::function<void(ClientSpec&)> edit;
    std::string code;
  } cases[] = {
      {[](ClientSpec& s) { s.name = ""; }, "client.bad_name"},
      {[](ClientSpec& s) { s.redirect_uris = {}; }, "client.bad_redirect_uri"},
      {[](ClientSpec& s) { s.redirect_uris = {"http://rp.example/cb"}; }, "client.bad_redirect_uri"},
      {[](ClientSpec& s) { s.redirect_uris = {"https://rp.example/cb#frag"}; }, "client.bad_redirect_uri"},
      {[](ClientSpec& s) { s.redirect_uris = {"/relative"}; }, "client.bad_redirect_uri"},
      {[](ClientSpec& s) { s.redirect_uris = {"javascript:alert(1)"}; }, "client.bad_redirect_uri"},
      {[](ClientSpec& s) { s.redirect_uris = {"https://a b/"}; }, "client.bad_redirect_uri"},
      {[](ClientSpec& s) { s.logo_uri = "http://rp.example/logo.png"; }, "client.bad_logo_uri"},
      {[](ClientSpec& s) { s.scopes = {"profile"}; }, "client.bad_scope"},
      {[](ClientSpec& s) { s.scopes = {"openid", "email"}; }, "client.bad_scope"},
      {[](ClientSpec& s) { s.min_level = 3; }, "client.bad_level"},
      {[](ClientSpec& s) {
         s.auth_method = ClientAuthMethod::kPrivateKeyJwt;
         s.jwks = "{\"keys\":[]}";
       }, "client.bad_jwks"},
      {[](ClientSpec& s) {
         s.auth_method = ClientAuthMethod::kPrivateKeyJwt;
         s.jwks = "not json";
       }, "client.bad_jwks"},
  };
  for (const auto& c : cases) {
    ClientSpec s = Spec();
    c.edit(s);
    auto r = provider_->clients().Add(s);
    ASSERT_FALSE(r) << c.code;
    EXPECT_EQ(r.error().code, c.code);
  }
}

TEST_F(ClientsTest, LoopbackHttpIsAllowedForDevelopment) {
  ClientSpec s = Spec();
  s.redirect_uris = {"http://127.0.0.1:3000/cb", "http://localhost/cb"};
  EXPECT_TRUE(provider_->clients().Add(s));
}

TEST_F(ClientsTest, DisabledClientsAreNotFound) {
  auto c = provider_->clients().Add(Spec());
  ASSERT_TRUE(c);
  ASSERT_TRUE(provider_->clients().Disable(c->client_id));
  EXPECT_EQ(provider_->clients().Find(c->client_id), nullptr);
  EXPECT_EQ(provider_->clients().Disable("nope").error().code, "client.not_found");
  auto list = provider_->clients().List();
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);  // the fixture's and this one
}

TEST_F(ClientsTest, AnotherProcessesClientIsSeenWithinASecond) {
  auto other = Clients::Open(*odb_, clock_);
  ASSERT_TRUE(other);
  auto c = (*other)->Add(Spec());
  ASSERT_TRUE(c);
  EXPECT_EQ(provider_->clients().Find(c->client_id), nullptr);  // cached copy
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_NE(provider_->clients().Find(c->client_id), nullptr);
}

class SigningKeysTest : public OidcTest {};

TEST_F(SigningKeysTest, RotationKeepsTheOldKeyPublishedUntilItsTokensExpire) {
  auto ring = provider_->keys().ring();
  std::string old_kid = ring->current_kid;
  std::string old_token = crypto::SignJwt(ring->current, old_kid, {{"exp", 1}}, "JWT");
  auto kid = provider_->keys().Rotate();
  ASSERT_TRUE(kid);
  EXPECT_NE(*kid, old_kid);
  auto jwks = boost::json::parse(provider_->Jwks()).as_object();
  ASSERT_EQ(jwks.at("keys").as_array().size(), 2u);
  EXPECT_EQ(jwks.at("keys").as_array()[0].as_object().at("kid").as_string(), *kid);
  EXPECT_FALSE(jwks.at("keys").as_array()[0].as_object().contains("d"));
  EXPECT_NE(provider_->keys().ring()->Find(old_kid), nullptr);

  auto list = provider_->keys().List();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  const auto& retired = (*list)[1];
  EXPECT_EQ(retired.kid, old_kid);
  ASSERT_TRUE(retired.publish_until);
  // Published for the longest token lifetime (10 min) + 60 s of leeway.
  EXPECT_EQ(*retired.publish_until - *retired.retired_at, 660);

  clock_.Advance(std::chrono::seconds(659));
  EXPECT_NE(provider_->keys().ring()->Find(old_kid), nullptr);
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(provider_->keys().ring()->Find(old_kid), nullptr);
  EXPECT_EQ(boost::json::parse(provider_->Jwks()).as_object().at("keys").as_array().size(), 1u);
}

TEST_F(SigningKeysTest, PrivateKeysAreSealedAtRest) {
  auto conn = odb_->Connect();
  ASSERT_TRUE(conn);
  auto& st = (*conn)->Cached("SELECT private_sealed FROM signing_keys");
  std::string sealed;
  ASSERT_TRUE(st.ForEachRow([&] { sealed = std::string(st.Text(0)); }));
  EXPECT_EQ(sealed.find("PRIVATE KEY"), std::string::npos);
  auto raw = crypto::Base64UrlDecode(sealed);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->find("PRIVATE KEY"), std::string::npos);
  // Another deployment's key file cannot open them.
  auto other = crypto::SecretBox::FromKey(std::string(32, 'z')).value();
  auto keys = SigningKeys::Open(*odb_, other, clock_, std::chrono::seconds(600));
  ASSERT_FALSE(keys);
  EXPECT_EQ(keys.error().code, "crypto.open_failed");
}

class ConsentsTest : public OidcTest {};

TEST_F(ConsentsTest, GrantCoversListAndRevoke) {
  auto& c = provider_->consents();
  EXPECT_FALSE(c.Covers(7, "rp", {"openid"}).value());
  ASSERT_TRUE(c.Grant(7, "rp", {"openid", "profile"}));
  EXPECT_TRUE(c.Covers(7, "rp", {"openid", "profile"}).value());
  EXPECT_FALSE(c.Covers(7, "rp", {"openid", "phone"}).value());
  ASSERT_TRUE(c.Grant(7, "rp", {"openid", "phone"}));
  EXPECT_TRUE(c.Covers(7, "rp", {"openid", "profile", "phone"}).value());
  EXPECT_FALSE(c.Covers(8, "rp", {"openid"}).value());
  auto list = c.List(7);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().scopes, (std::vector<std::string>{"openid", "profile", "phone"}));
  ASSERT_TRUE(c.Revoke(7, "rp"));
  EXPECT_FALSE(c.Covers(7, "rp", {"openid"}).value());
  EXPECT_TRUE(c.Revoke(7, "rp"));  // twice is fine
}

TEST_F(ConsentsTest, RevokingConsentRevokesTheClientsRefreshTokens) {
  std::string code = CodeFor(husband_, "openid offline_access");
  auto tokens = Exchange(code);
  ASSERT_TRUE(tokens);
  std::string refresh(tokens->at("refresh_token").as_string());
  ASSERT_TRUE(provider_->consents().Revoke(husband_.id.number(), client_.client_id));
  auto again = provider_->Token({{"grant_type", "refresh_token"}, {"refresh_token", refresh}},
                                BasicAuth(client_.client_id, client_.client_secret));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().error, "invalid_grant");
}

TEST(AuthorizationCodesTest, SingleUseAndSixtySeconds) {
  ManualClock clock(registry::testing::At(2026, 11, 23));
  AuthorizationCodes codes(clock);
  std::string a = codes.Issue(CodeRecord{.client_id = "rp"});
  EXPECT_EQ(a.size(), 43u);
  auto first = codes.Redeem(a);
  ASSERT_TRUE(std::holds_alternative<CodeRecord>(first));
  EXPECT_EQ(std::get<CodeRecord>(first).client_id, "rp");
  EXPECT_TRUE(codes.Attach(a, IssuedFromCode{"jti", 1, ""}));
  auto second = codes.Redeem(a);
  ASSERT_TRUE(std::holds_alternative<CodeReuse>(second));
  EXPECT_EQ(std::get<CodeReuse>(second).issued->access_jti, "jti");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(codes.Redeem("unknown")));

  std::string b = codes.Issue(CodeRecord{.client_id = "rp"});
  clock.Advance(std::chrono::seconds(60));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(codes.Redeem(b)));
  codes.Issue(CodeRecord{});  // prunes the expired ones
  EXPECT_EQ(codes.size(), 1u);
}

TEST(AuthorizationCodesTest, AReuseDuringTheExchangeRevokesWhatItIssued) {
  ManualClock clock(registry::testing::At(2026, 11, 23));
  AuthorizationCodes codes(clock);
  std::string a = codes.Issue(CodeRecord{.client_id = "rp"});
  ASSERT_TRUE(std::holds_alternative<CodeRecord>(codes.Redeem(a)));
  ASSERT_TRUE(std::holds_alternative<CodeReuse>(codes.Redeem(a)));  // before Attach
  EXPECT_FALSE(codes.Attach(a, IssuedFromCode{"jti", 1, ""}));
}

}  // namespace
}  // namespace dancu::identity::testing
