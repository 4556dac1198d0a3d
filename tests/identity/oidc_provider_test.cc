// The OpenID Connect provider's protocol rules without HTTP: authorization
// requests, the authorize decision (sign-in, step-up, consent, prompt,
// max_age, levels), the token endpoint (codes, PKCE, client authentication,
// refresh rotation), tokens, userinfo, revocation, introspection and logout.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/random_token.h"
#include "oidc_fixture.h"

namespace dancu::identity::testing {
namespace {

using Kind = AuthorizeStep::Kind;

Params With(Params p, std::string name, std::string value) {
  std::erase_if(p, [&](const auto& kv) { return kv.first == name; });
  p.emplace_back(std::move(name), std::move(value));
  return p;
}
Params Without(Params p, std::string_view name) {
  std::erase_if(p, [&](const auto& kv) { return kv.first == name; });
  return p;
}

// ---- authorization requests ----

TEST_F(OidcTest, UnknownClientOrUnregisteredRedirectIsAnErrorPageNeverARedirect) {
  struct Case {
    Params params;
    std::string why;
  } cases[] = {
      {Without(AuthorizeParams(), "client_id"), "missing client_id"},
      {With(AuthorizeParams(), "client_id", "nope"), "unknown client"},
      {Without(AuthorizeParams(), "redirect_uri"), "missing redirect_uri"},
      {With(AuthorizeParams(), "redirect_uri", "https://evil.test/cb"), "open redirect"},
      {With(AuthorizeParams(), "redirect_uri", std::string(kRedirect) + "/x"), "prefix match"},
      {With(AuthorizeParams(), "redirect_uri", std::string(kRedirect) + "?a=1"), "extra query"},
  };
  for (auto& c : cases) {
    auto r = provider_->ParseAuthorizationRequest(c.params);
    ASSERT_FALSE(r) << c.why;
    EXPECT_FALSE(r.error().redirect) << c.why;
  }
  Params repeated = AuthorizeParams();
  repeated.emplace_back("redirect_uri", "https://evil.test/cb");
  auto r = provider_->ParseAuthorizationRequest(repeated);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().redirect);
}

TEST_F(OidcTest, BadRequestsRedirectWithTheOAuthErrorAndState) {
  struct Case {
    Params params;
    std::string error;
  } cases[] = {
      {With(AuthorizeParams(), "response_type", "token"), "unsupported_response_type"},
      {With(AuthorizeParams(), "response_type", "code id_token"), "unsupported_response_type"},
      {Without(AuthorizeParams(), "response_type"), "invalid_request"},
      {Without(AuthorizeParams(), "code_challenge"), "invalid_request"},
      {With(AuthorizeParams(), "code_challenge_method", "plain"), "invalid_request"},
      {Without(AuthorizeParams(), "code_challenge_method"), "invalid_request"},
      {With(AuthorizeParams(), "code_challenge", "short"), "invalid_request"},
      {With(AuthorizeParams(), "scope", "profile"), "invalid_scope"},
      {With(AuthorizeParams(), "nonce", std::string(5000, 'n')), "invalid_request"},
      {With(AuthorizeParams(), "prompt", "none login"), "invalid_request"},
      {With(AuthorizeParams(), "prompt", "bogus"), "invalid_request"},
      {With(AuthorizeParams(), "max_age", "-1"), "invalid_request"},
      {With(AuthorizeParams(), "max_age", "ten"), "invalid_request"},
      {With(AuthorizeParams(), "request", "eyJ..."), "request_not_supported"},
      {With(AuthorizeParams(), "request_uri", "https://x"), "request_uri_not_supported"},
      {With(AuthorizeParams(), "response_mode", "fragment"), "invalid_request"},
      {With(AuthorizeParams(), "login_hint", "a\nb"), "invalid_request"},
  };
  for (auto& c : cases) {
    auto r = provider_->ParseAuthorizationRequest(c.params);
    ASSERT_FALSE(r) << c.error;
    EXPECT_TRUE(r.error().redirect) << c.error;
    EXPECT_EQ(r.error().error, c.error);
    std::string url = provider_->ErrorRedirect(r.error());
    EXPECT_TRUE(url.starts_with(std::string(kRedirect) + "?error=" + c.error)) << url;
    EXPECT_EQ(QueryValue(url, "state"), "st-1");
    EXPECT_EQ(QueryValue(url, "iss"), kIssuer);
  }
  Params twice = AuthorizeParams();
  twice.emplace_back("scope", "openid");
  auto r = provider_->ParseAuthorizationRequest(twice);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().redirect);
  EXPECT_EQ(r.error().error, "invalid_request");
}

TEST_F(OidcTest, ScopesTheClientWasNotRegisteredForAreRefusedAndUnknownOnesIgnored) {
  ClientSpec spec;
  spec.name = "Narrow";
  spec.redirect_uris = {std::string(kRedirect)};
  spec.scopes = {"openid", "profile"};
  auto narrow = provider_->clients().Add(spec);
  ASSERT_TRUE(narrow);
  auto params = With(AuthorizeParams("openid citizen_id"), "client_id", narrow->client_id);
  auto r = provider_->ParseAuthorizationRequest(params);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error, "invalid_scope");
  auto ok = provider_->ParseAuthorizationRequest(
      With(AuthorizeParams("openid email profile"), "client_id", narrow->client_id));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->scopes, (std::vector<std::string>{"openid", "profile"}));
}

TEST_F(OidcTest, NoSessionMeansSignInOrLoginRequiredWithPromptNone) {
  auto r = provider_->ParseAuthorizationRequest(AuthorizeParams());
  ASSERT_TRUE(r);
  EXPECT_EQ(provider_->Authorize(*r, std::nullopt, false)->kind, Kind::kSignIn);
  auto none = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "prompt", "none"));
  ASSERT_TRUE(none);
  auto step = provider_->Authorize(*none, std::nullopt, false);
  ASSERT_TRUE(step);
  ASSERT_EQ(step->kind, Kind::kRedirect);
  EXPECT_EQ(QueryValue(step->redirect, "error"), "login_required");
  EXPECT_EQ(QueryValue(step->redirect, "state"), "st-1");
}

TEST_F(OidcTest, ConsentIsAskedOnceThenRememberedUnlessPromptConsent) {
  auto r = provider_->ParseAuthorizationRequest(AuthorizeParams());
  ASSERT_TRUE(r);
  EXPECT_EQ(provider_->Authorize(*r, AuthOf(husband_), false)->kind, Kind::kConsent);
  auto none = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "prompt", "none"));
  auto step = provider_->Authorize(*none, AuthOf(husband_), false);
  EXPECT_EQ(QueryValue(step->redirect, "error"), "consent_required");
  // Approving grants and remembers.
  auto approved = provider_->Authorize(*r, AuthOf(husband_), true);
  ASSERT_EQ(approved->kind, Kind::kRedirect);
  EXPECT_FALSE(QueryValue(approved->redirect, "code").empty());
  EXPECT_EQ(QueryValue(approved->redirect, "state"), "st-1");
  EXPECT_EQ(QueryValue(approved->redirect, "iss"), kIssuer);
  EXPECT_EQ(provider_->Authorize(*r, AuthOf(husband_), false)->kind, Kind::kRedirect);
  EXPECT_EQ(provider_->Authorize(*none, AuthOf(husband_), false)->kind, Kind::kRedirect);
  auto again = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "prompt", "consent"));
  EXPECT_EQ(provider_->Authorize(*again, AuthOf(husband_), false)->kind, Kind::kConsent);
  // More scopes than granted: asked again.
  auto more = provider_->ParseAuthorizationRequest(AuthorizeParams("openid profile phone"));
  EXPECT_EQ(provider_->Authorize(*more, AuthOf(husband_), false)->kind, Kind::kConsent);
}

TEST_F(OidcTest, PromptLoginAndMaxAgeForceReauthenticationWithoutLooping) {
  ASSERT_TRUE(provider_->consents().Grant(husband_.id.number(), client_.client_id,
                                          {"openid", "profile"}));
  Authentication old = AuthOf(husband_);
  clock_.Advance(std::chrono::seconds(600));
  auto login = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "prompt", "login"));
  EXPECT_EQ(provider_->Authorize(*login, old, false)->kind, Kind::kSignIn);
  auto max_age = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "max_age", "300"));
  EXPECT_EQ(provider_->Authorize(*max_age, old, false)->kind, Kind::kSignIn);
  auto max_age_ok = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "max_age", "900"));
  EXPECT_EQ(provider_->Authorize(*max_age_ok, old, false)->kind, Kind::kRedirect);
  // max_age=0 is prompt=login, even for a sign-in this very second.
  auto zero = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "max_age", "0"));
  EXPECT_EQ(provider_->Authorize(*zero, AuthOf(husband_), false)->kind, Kind::kSignIn);
  // After signing in again, the return URL carries login_after=<when sent>.
  int64_t sent = std::chrono::duration_cast<std::chrono::seconds>(
                     clock_.Now().time_since_epoch()).count();
  clock_.Advance(std::chrono::seconds(5));
  auto back = provider_->ParseAuthorizationRequest(
      With(With(AuthorizeParams(), "prompt", "login"), "login_after", std::to_string(sent)));
  ASSERT_TRUE(back);
  EXPECT_EQ(provider_->Authorize(*back, AuthOf(husband_), false)->kind, Kind::kRedirect);
  EXPECT_EQ(provider_->Authorize(*back, old, false)->kind, Kind::kSignIn);
}

TEST_F(OidcTest, Level2AsksAStepUpOfALevel2AccountAndRefusesALevel1Account) {
  auto r = provider_->ParseAuthorizationRequest(
      With(AuthorizeParams(), "acr_values", std::string(kAcrLevel2)));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->required_level, 2);
  EXPECT_EQ(provider_->Authorize(*r, AuthOf(husband_, 1), false)->kind, Kind::kStepUp);
  auto step = provider_->Authorize(*r, AuthOf(single_, 1), false);
  ASSERT_EQ(step->kind, Kind::kRedirect);
  EXPECT_EQ(QueryValue(step->redirect, "error"), "unmet_authentication_requirements");
  EXPECT_NE(QueryValue(step->redirect, "error_description").find("level 1"), std::string::npos);
  EXPECT_EQ(provider_->Authorize(*r, AuthOf(husband_, 2), false)->kind, Kind::kConsent);
  auto none = provider_->ParseAuthorizationRequest(With(
      With(AuthorizeParams(), "acr_values", std::string(kAcrLevel2)), "prompt", "none"));
  EXPECT_EQ(QueryValue(provider_->Authorize(*none, AuthOf(husband_, 1), false)->redirect, "error"),
            "interaction_required");
}

TEST_F(OidcTest, AClientsMinimumLevelAppliesWithoutAcrValues) {
  ClientSpec spec;
  spec.name = "Thuế";
  spec.redirect_uris = {std::string(kRedirect)};
  spec.scopes = {"openid", "profile"};
  spec.min_level = 2;
  auto tax = provider_->clients().Add(spec);
  ASSERT_TRUE(tax);
  auto r = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "client_id", tax->client_id));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->required_level, 2);
  EXPECT_EQ(provider_->Authorize(*r, AuthOf(husband_, 1), false)->kind, Kind::kStepUp);
  EXPECT_EQ(QueryValue(provider_->Authorize(*r, AuthOf(single_, 1), false)->redirect, "error"),
            "unmet_authentication_requirements");
}

// ---- token endpoint ----

TEST_F(OidcTest, CodeExchangeIssuesVerifiableES256Tokens) {
  std::string code = CodeFor(husband_, "openid profile", 2);
  auto t = Exchange(code);
  ASSERT_TRUE(t) << t.error().description;
  EXPECT_EQ(t->at("token_type").as_string(), "Bearer");
  EXPECT_EQ(t->at("expires_in").as_int64(), 600);
  EXPECT_FALSE(t->contains("refresh_token"));  // no offline_access
  auto id = VerifyWithJwks(t->at("id_token").as_string());
  EXPECT_EQ(id.at("iss").as_string(), kIssuer);
  EXPECT_EQ(id.at("aud").as_string(), client_.client_id);
  EXPECT_EQ(id.at("nonce").as_string(), "n-1");
  EXPECT_EQ(id.at("acr").as_string(), kAcrLevel2);
  EXPECT_EQ(boost::json::serialize(id.at("amr")), R"(["pwd","otp"])");
  EXPECT_EQ(id.at("sub").as_string(), provider_->Subject(client_.client_id, husband_.id));
  EXPECT_EQ(id.at("sub").as_string().size(), 43u);
  EXPECT_EQ(id.at("sub").as_string().find(husband_.id.ToString()), std::string::npos);
  EXPECT_TRUE(id.contains("auth_time"));
  std::string access(t->at("access_token").as_string());
  auto digest = crypto::Sha256(access);
  EXPECT_EQ(id.at("at_hash").as_string(),
            crypto::Base64UrlEncode(crypto::AsBytes(digest).substr(0, 16)));
  auto at = VerifyWithJwks(access);
  EXPECT_EQ(at.at("client_id").as_string(), client_.client_id);
  EXPECT_EQ(at.at("scope").as_string(), "openid profile");
  // The account id (= the citizen's number) is sealed, not readable.
  EXPECT_EQ(boost::json::serialize(at).find(husband_.id.ToString()), std::string::npos);
}

TEST_F(OidcTest, PairwiseSubjectsDifferPerClient) {
  EXPECT_NE(provider_->Subject(client_.client_id, husband_.id), provider_->Subject("other", husband_.id));
  EXPECT_NE(provider_->Subject(client_.client_id, husband_.id),
            provider_->Subject(client_.client_id, wife_.id));
  EXPECT_EQ(provider_->Subject("x", husband_.id), provider_->Subject("x", husband_.id));
}

TEST_F(OidcTest, AReusedCodeIsInvalidGrantAndRevokesWhatItIssued) {
  std::string code = CodeFor(husband_, "openid profile offline_access");
  auto t = Exchange(code);
  ASSERT_TRUE(t);
  std::string access(t->at("access_token").as_string());
  std::string refresh(t->at("refresh_token").as_string());
  ASSERT_TRUE(provider_->UserInfo(access));
  auto again = Exchange(code);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().error, "invalid_grant");
  auto info = provider_->UserInfo(access);
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().error, "invalid_token");
  auto refreshed = provider_->Token({{"grant_type", "refresh_token"}, {"refresh_token", refresh}},
                                    BasicAuth(client_.client_id, client_.client_secret));
  ASSERT_FALSE(refreshed);
  EXPECT_EQ(refreshed.error().error, "invalid_grant");
}

TEST_F(OidcTest, WrongVerifierRedirectOrClientIsInvalidGrantAndBurnsTheCode) {
  std::string code = CodeFor(husband_);
  auto wrong = Exchange(code, std::string(43, 'a'));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().error, "invalid_grant");
  EXPECT_EQ(Exchange(code).error().error, "invalid_grant");  // burnt

  std::string code2 = CodeFor(husband_);
  auto bad_redirect = provider_->Token({{"grant_type", "authorization_code"},
                                        {"code", code2},
                                        {"redirect_uri", "https://rp.test/other"},
                                        {"code_verifier", std::string(kVerifier)}},
                                       BasicAuth(client_.client_id, client_.client_secret));
  EXPECT_EQ(bad_redirect.error().error, "invalid_grant");

  ClientSpec spec;
  spec.name = "Other";
  spec.redirect_uris = {std::string(kRedirect)};
  spec.scopes = {"openid"};
  auto other = provider_->clients().Add(spec);
  std::string code3 = CodeFor(husband_);
  auto stolen = provider_->Token({{"grant_type", "authorization_code"},
                                  {"code", code3},
                                  {"redirect_uri", std::string(kRedirect)},
                                  {"code_verifier", std::string(kVerifier)}},
                                 BasicAuth(other->client_id, other->client_secret));
  EXPECT_EQ(stolen.error().error, "invalid_grant");

  auto short_verifier = Exchange(CodeFor(husband_), "abc");
  EXPECT_EQ(short_verifier.error().error, "invalid_request");
  auto no_verifier = provider_->Token({{"grant_type", "authorization_code"},
                                       {"code", CodeFor(husband_)},
                                       {"redirect_uri", std::string(kRedirect)}},
                                      BasicAuth(client_.client_id, client_.client_secret));
  EXPECT_EQ(no_verifier.error().error, "invalid_request");
}

TEST_F(OidcTest, ACodeExpiresAfterSixtySeconds) {
  std::string code = CodeFor(husband_);
  clock_.Advance(std::chrono::seconds(59));
  std::string fresh = CodeFor(husband_);
  EXPECT_TRUE(Exchange(fresh));
  clock_.Advance(std::chrono::seconds(1));
  auto t = Exchange(code);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().error, "invalid_grant");
}

TEST_F(OidcTest, ClientAuthenticationFailuresAreInvalidClient) {
  std::string code = CodeFor(husband_);
  Params form{{"grant_type", "authorization_code"},
              {"code", code},
              {"redirect_uri", std::string(kRedirect)},
              {"code_verifier", std::string(kVerifier)}};
  auto wrong = provider_->Token(form, BasicAuth(client_.client_id, "dancu_cs_wrong"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().status, 401u);
  EXPECT_EQ(wrong.error().error, "invalid_client");
  EXPECT_TRUE(wrong.error().basic_challenge);
  auto none = provider_->Token(form, std::nullopt);
  EXPECT_EQ(none.error().error, "invalid_client");
  // The registered method only: this client is client_secret_basic.
  Params post = form;
  post.emplace_back("client_id", client_.client_id);
  post.emplace_back("client_secret", client_.client_secret);
  EXPECT_EQ(provider_->Token(post, std::nullopt).error().error, "invalid_client");
  // Two methods at once.
  EXPECT_EQ(provider_->Token(post, BasicAuth(client_.client_id, client_.client_secret)).error().error,
            "invalid_request");
  EXPECT_EQ(provider_->Token(form, std::string("Basic !!!")).error().error, "invalid_client");
  // The code survived the failed authentications.
  EXPECT_TRUE(provider_->Token(form, BasicAuth(client_.client_id, client_.client_secret)));
  auto grant = provider_->Token({{"grant_type", "password"}},
                                BasicAuth(client_.client_id, client_.client_secret));
  EXPECT_EQ(grant.error().error, "unsupported_grant_type");
}

TEST_F(OidcTest, ClientSecretPost) {
  ClientSpec spec;
  spec.name = "Post";
  spec.redirect_uris = {std::string(kRedirect)};
  spec.scopes = {"openid", "profile"};
  spec.auth_method = ClientAuthMethod::kSecretPost;
  auto c = provider_->clients().Add(spec);
  ASSERT_TRUE(c);
  auto r = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "client_id", c->client_id));
  auto step = provider_->Authorize(*r, AuthOf(husband_), true);
  auto t = provider_->Token({{"grant_type", "authorization_code"},
                             {"code", QueryValue(step->redirect, "code")},
                             {"redirect_uri", std::string(kRedirect)},
                             {"code_verifier", std::string(kVerifier)},
                             {"client_id", c->client_id},
                             {"client_secret", c->client_secret}},
                            std::nullopt);
  EXPECT_TRUE(t) << t.error().description;
}

class PrivateKeyJwtTest : public OidcTest {
 protected:
  void SetUp() override {
    OidcTest::SetUp();
    if (HasFatalFailure()) return;
    boost::json::array keys{key_.PublicJwk("k1")};
    ClientSpec spec;
    spec.name = "JWT client";
    spec.redirect_uris = {std::string(kRedirect)};
    spec.scopes = {"openid", "profile"};
    spec.auth_method = ClientAuthMethod::kPrivateKeyJwt;
    spec.jwks = boost::json::serialize(boost::json::object{{"keys", keys}});
    auto c = provider_->clients().Add(spec);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_TRUE(c->client_secret.empty());
    id_ = c->client_id;
  }
  std::string Assertion(boost::json::object extra = {}) {
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      clock_.Now().time_since_epoch()).count();
    boost::json::object c{{"iss", id_},
                          {"sub", id_},
                          {"aud", std::string(kIssuer) + "/oidc/token"},
                          {"exp", now + 60},
                          {"iat", now},
                          {"jti", crypto::RandomToken(16)}};
    for (auto& [k, v] : extra) c[k] = v;
    return crypto::SignJwt(key_, "k1", c, "JWT");
  }
  std::expected<boost::json::object, OAuthError> Exchange(std::string assertion) {
    auto r = provider_->ParseAuthorizationRequest(With(AuthorizeParams(), "client_id", id_));
    auto step = provider_->Authorize(*r, AuthOf(husband_), true);
    return provider_->Token(
        {{"grant_type", "authorization_code"},
         {"code", QueryValue(step->redirect, "code")},
         {"redirect_uri", std::string(kRedirect)},
         {"code_verifier", std::string(kVerifier)},
         {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
         {"client_assertion", std::move(assertion)}},
        std::nullopt);
  }
  crypto::EcKey key_ = crypto::EcKey::Generate();
  std::string id_;
};

TEST_F(PrivateKeyJwtTest, AValidAssertionAuthenticatesOnce) {
  std::string a = Assertion();
  auto t = Exchange(a);
  ASSERT_TRUE(t) << t.error().description;
  auto replay = Exchange(a);
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().error, "invalid_client");
  EXPECT_NE(replay.error().description.find("replay"), std::string::npos);
}

TEST_F(PrivateKeyJwtTest, BadAssertionsAreInvalidClient) {
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    clock_.Now().time_since_epoch()).count();
  EXPECT_EQ(Exchange(Assertion({{"aud", "https://elsewhere"}})).error().error, "invalid_client");
  EXPECT_EQ(Exchange(Assertion({{"exp", now - 120}})).error().error, "invalid_client");
  EXPECT_EQ(Exchange(Assertion({{"exp", now + 7200}})).error().error, "invalid_client");
  EXPECT_EQ(Exchange(Assertion({{"sub", "someone"}})).error().error, "invalid_client");
  EXPECT_EQ(Exchange(Assertion({{"jti", ""}})).error().error, "invalid_client");
  // Signed with a key the client did not register.
  crypto::EcKey other = crypto::EcKey::Generate();
  boost::json::object c{{"iss", id_}, {"sub", id_}, {"aud", std::string(kIssuer)},
                        {"exp", now + 60}, {"jti", "x1"}};
  EXPECT_EQ(Exchange(crypto::SignJwt(other, "k1", c, "JWT")).error().error, "invalid_client");
  EXPECT_EQ(Exchange("not.a.jwt").error().error, "invalid_client");
}

TEST_F(OidcTest, RefreshTokensRotateAndAReplayRevokesTheFamily) {
  auto t = Exchange(CodeFor(husband_, "openid profile offline_access"));
  ASSERT_TRUE(t);
  std::string r1(t->at("refresh_token").as_string());
  EXPECT_TRUE(r1.starts_with("dancu_rt_"));
  auto auth = BasicAuth(client_.client_id, client_.client_secret);
  auto t2 = provider_->Token({{"grant_type", "refresh_token"}, {"refresh_token", r1}}, auth);
  ASSERT_TRUE(t2) << t2.error().description;
  std::string r2(t2->at("refresh_token").as_string());
  EXPECT_NE(r1, r2);
  EXPECT_TRUE(t2->contains("id_token"));
  // Narrowing the scope is allowed; widening is not.
  auto t3 = provider_->Token(
      {{"grant_type", "refresh_token"}, {"refresh_token", r2}, {"scope", "openid"}}, auth);
  ASSERT_TRUE(t3);
  EXPECT_EQ(t3->at("scope").as_string(), "openid");
  std::string r3(t3->at("refresh_token").as_string());
  // Replaying r1 (already used) revokes r3 too.
  auto replay = provider_->Token({{"grant_type", "refresh_token"}, {"refresh_token", r1}}, auth);
  EXPECT_EQ(replay.error().error, "invalid_grant");
  auto after = provider_->Token({{"grant_type", "refresh_token"}, {"refresh_token", r3}}, auth);
  EXPECT_EQ(after.error().error, "invalid_grant");
}

TEST_F(OidcTest, RefreshStopsWhenTheAccountIsDisabledAndExpiresAfter30Days) {
  auto auth = BasicAuth(client_.client_id, client_.client_secret);
  auto t = Exchange(CodeFor(husband_, "openid offline_access"));
  std::string r(t->at("refresh_token").as_string());
  clock_.Advance(std::chrono::hours(24 * 30));
  EXPECT_EQ(provider_->Token({{"grant_type", "refresh_token"}, {"refresh_token", r}}, auth)
                .error().error, "invalid_grant");
  auto t2 = Exchange(CodeFor(husband_, "openid offline_access"));
  std::string r2(t2->at("refresh_token").as_string());
  accounts_[husband_.id.number()].disabled = true;
  EXPECT_EQ(provider_->Token({{"grant_type", "refresh_token"}, {"refresh_token", r2}}, auth)
                .error().error, "invalid_grant");
}

// ---- userinfo ----

TEST_F(OidcTest, UserInfoReleasesClaimsByScope) {
  auto t = Exchange(CodeFor(husband_, "openid profile address phone citizen_id"));
  ASSERT_TRUE(t);
  auto info = provider_->UserInfo(t->at("access_token").as_string());
  ASSERT_TRUE(info) << info.error().description;
  EXPECT_EQ(info->at("sub").as_string(), provider_->Subject(client_.client_id, husband_.id));
  EXPECT_EQ(info->at("citizen_id").as_string(), husband_.id.ToString());
  EXPECT_EQ(info->at("name").as_string(), "Nguyễn Văn An");
  EXPECT_EQ(info->at("family_name").as_string(), "Nguyễn");
  EXPECT_EQ(info->at("middle_name").as_string(), "Văn");
  EXPECT_EQ(info->at("given_name").as_string(), "An");
  EXPECT_EQ(info->at("gender").as_string(), "male");
  EXPECT_EQ(info->at("birthdate").as_string(), "1985-03-14");
  EXPECT_EQ(info->at("phone_number").as_string(), "+84912345678");
  EXPECT_TRUE(info->at("phone_number_verified").as_bool());
  const auto& addr = info->at("address").as_object();
  EXPECT_EQ(addr.at("street_address").as_string(), "Số 1 phố Đội Cấn");
  EXPECT_EQ(addr.at("country").as_string(), "Việt Nam");
  EXPECT_NE(addr.at("formatted").as_string().find("Hà Nội"), std::string::npos);

  auto narrow = Exchange(CodeFor(single_, "openid profile"));
  auto dung = provider_->UserInfo(narrow->at("access_token").as_string());
  ASSERT_TRUE(dung);
  EXPECT_EQ(dung->at("birthdate").as_string(), "1950");  // a partial date stays partial
  EXPECT_FALSE(dung->contains("citizen_id"));
  EXPECT_FALSE(dung->contains("phone_number"));
  EXPECT_FALSE(dung->contains("address"));
}

TEST_F(OidcTest, ForgedExpiredAlgNoneAndRevokedTokensAreRefused) {
  auto t = Exchange(CodeFor(husband_));
  std::string access(t->at("access_token").as_string());
  auto expect_invalid = [&](std::string_view token, std::string_view why) {
    auto r = provider_->UserInfo(token);
    ASSERT_FALSE(r) << why;
    EXPECT_EQ(r.error().status, 401u) << why;
    EXPECT_EQ(r.error().error, "invalid_token") << why;
    auto intro = provider_->Introspect({{"token", std::string(token)}},
                                       BasicAuth(client_.client_id, client_.client_secret));
    ASSERT_TRUE(intro) << why;
    EXPECT_FALSE(intro->at("active").as_bool()) << why;
  };
  // alg=none: the same claims, no signature.
  size_t dot = access.find('.');
  std::string payload = access.substr(dot + 1, access.find('.', dot + 1) - dot - 1);
  std::string none_header = crypto::Base64UrlEncode(R"({"alg":"none","typ":"at+jwt"})");
  expect_invalid(none_header + "." + payload + ".", "alg none");
  // Forged: signed by another key under the provider's kid.
  auto claims = crypto::UnverifiedClaims(access).value();
  claims["scope"] = "openid profile phone";
  crypto::EcKey attacker = crypto::EcKey::Generate();
  expect_invalid(crypto::SignJwt(attacker, provider_->keys().ring()->current_kid, claims, "at+jwt"),
                 "forged");
  // An ID token is not an access token.
  expect_invalid(t->at("id_token").as_string(), "id token");
  expect_invalid("garbage", "garbage");
  // Tampered payload, original signature.
  std::string tampered = access;
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
  expect_invalid(tampered, "tampered");
  // Expired.
  ASSERT_TRUE(provider_->UserInfo(access));
  clock_.Advance(std::chrono::seconds(600));
  expect_invalid(access, "expired");
}

TEST_F(OidcTest, RevocationAndIntrospection) {
  auto auth = BasicAuth(client_.client_id, client_.client_secret);
  auto t = Exchange(CodeFor(husband_, "openid profile offline_access"));
  std::string access(t->at("access_token").as_string());
  std::string refresh(t->at("refresh_token").as_string());
  auto intro = provider_->Introspect({{"token", access}}, auth);
  ASSERT_TRUE(intro);
  EXPECT_TRUE(intro->at("active").as_bool());
  EXPECT_EQ(intro->at("client_id").as_string(), client_.client_id);
  EXPECT_EQ(intro->at("scope").as_string(), "openid profile offline_access");
  auto rintro = provider_->Introspect({{"token", refresh}}, auth);
  EXPECT_TRUE(rintro->at("active").as_bool());
  EXPECT_EQ(rintro->at("token_type").as_string(), "refresh_token");

  // Another client sees nothing, and cannot revoke.
  ClientSpec spec;
  spec.name = "Other";
  spec.redirect_uris = {std::string(kRedirect)};
  spec.scopes = {"openid"};
  auto other = provider_->clients().Add(spec);
  auto other_auth = BasicAuth(other->client_id, other->client_secret);
  EXPECT_FALSE(provider_->Introspect({{"token", access}}, other_auth)->at("active").as_bool());
  ASSERT_TRUE(provider_->Revoke({{"token", access}}, other_auth));
  EXPECT_TRUE(provider_->UserInfo(access));
  // Unauthenticated callers are refused.
  EXPECT_EQ(provider_->Introspect({{"token", access}}, std::nullopt).error().status, 401u);
  EXPECT_EQ(provider_->Revoke({{"token", access}}, std::nullopt).error().status, 401u);

  ASSERT_TRUE(provider_->Revoke({{"token", access}}, auth));
  EXPECT_FALSE(provider_->UserInfo(access));
  EXPECT_FALSE(provider_->Introspect({{"token", access}}, auth)->at("active").as_bool());
  ASSERT_TRUE(provider_->Revoke({{"token", refresh}}, auth));
  EXPECT_FALSE(provider_->Introspect({{"token", refresh}}, auth)->at("active").as_bool());
  ASSERT_TRUE(provider_->Revoke({{"token", "unknown"}}, auth));  // RFC 7009 §2.2

  // Revocations survive a restart (they are in oidc.db).
  provider_.reset();
  auto p = OidcProvider::Open(*odb_, *box_, *reg_,
                              [this](int64_t id) -> Result<Account> { return accounts_.at(id); },
                              clock_, std::string(kIssuer));
  ASSERT_TRUE(p);
  EXPECT_FALSE((*p)->UserInfo(access));
}

TEST_F(OidcTest, TokensSignedBeforeARotationStayValidUntilTheyExpire) {
  auto before = Exchange(CodeFor(husband_));
  std::string old_access(before->at("access_token").as_string());
  std::string old_kid = provider_->keys().ring()->current_kid;
  ASSERT_TRUE(provider_->keys().Rotate());
  auto after = Exchange(CodeFor(husband_));
  auto header = crypto::Base64UrlDecode(
      std::string_view(after->at("id_token").as_string()).substr(
          0, after->at("id_token").as_string().find('.')));
  ASSERT_TRUE(header);
  EXPECT_EQ(header->find(old_kid), std::string::npos);  // signed with the new key
  EXPECT_TRUE(provider_->UserInfo(old_access));
  EXPECT_TRUE(provider_->UserInfo(after->at("access_token").as_string()));
  clock_.Advance(std::chrono::seconds(599));
  EXPECT_TRUE(provider_->UserInfo(old_access));
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_FALSE(provider_->UserInfo(old_access));  // expired, and soon unpublished
}

TEST_F(OidcTest, DisabledAccountsTokensStopWorking) {
  auto t = Exchange(CodeFor(husband_));
  std::string access(t->at("access_token").as_string());
  accounts_[husband_.id.number()].disabled = true;
  EXPECT_EQ(provider_->UserInfo(access).error().error, "invalid_token");
}

// ---- discovery and logout ----

TEST_F(OidcTest, DiscoveryNamesTheEndpointsAndOnlyWhatIsSupported) {
  auto d = provider_->Discovery();
  EXPECT_EQ(d.at("issuer").as_string(), kIssuer);
  EXPECT_EQ(d.at("token_endpoint").as_string(), std::string(kIssuer) + "/oidc/token");
  EXPECT_EQ(boost::json::serialize(d.at("response_types_supported")), R"(["code"])");
  EXPECT_EQ(boost::json::serialize(d.at("code_challenge_methods_supported")), R"(["S256"])");
  EXPECT_EQ(boost::json::serialize(d.at("id_token_signing_alg_values_supported")), R"(["ES256"])");
  EXPECT_EQ(boost::json::serialize(d.at("subject_types_supported")), R"(["pairwise"])");
}

TEST_F(OidcTest, EndSessionAcceptsOnlyRegisteredPostLogoutUris) {
  auto t = Exchange(CodeFor(husband_));
  std::string hint(t->at("id_token").as_string());
  clock_.Advance(std::chrono::hours(1));  // an expired hint is still a hint
  auto url = provider_->EndSession(hint, "", "https://rp.test/bye", "s1");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(*url, "https://rp.test/bye?state=s1");
  EXPECT_EQ(provider_->EndSession(hint, "", "https://evil.test/", "").error().code,
            "end_session.bad_redirect_uri");
  EXPECT_EQ(provider_->EndSession("", "", "https://rp.test/bye", "").error().code,
            "end_session.bad_redirect_uri");
  EXPECT_EQ(provider_->EndSession("forged.token.x", "", "", "").error().code, "end_session.bad_hint");
  EXPECT_EQ(*provider_->EndSession("", "", "", ""), "");
  EXPECT_EQ(*provider_->EndSession("", client_.client_id, "https://rp.test/bye", ""),
            "https://rp.test/bye");
}

}  // namespace
}  // namespace dancu::identity::testing
