// Level 1: registration through the pages, then the authorization-code
// flow with PKCE through openid-client, ID-token validation with jose,
// userinfo, refresh, revocation and RP-initiated logout.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { fx, rp, citizens, verifyIdToken } from '../lib/fixture.mjs';
import { newBrowser, registerAccount, codeFlow, authorizationUrl, runAuthorization } from '../lib/flow.mjs';

const ACR1 = 'urn:dancu:acr:level1';

describe('level 1 with openid-client', () => {
  const citizen = citizens('level1')[0];
  const browser = newBrowser();
  let a; // client A {config, client}
  let b; // client B
  let flowA; // the first complete flow at client A

  before(async () => {
    a = await rp('a');
    b = await rp('b');
  });

  it('discovers the provider', async () => {
    const m = a.config.serverMetadata();
    assert.equal(new URL(m.issuer).href, new URL(fx.issuer).href);
    assert.ok(m.authorization_endpoint.startsWith(fx.issuer));
    assert.ok(m.token_endpoint.startsWith(fx.issuer));
    assert.ok(m.userinfo_endpoint);
    assert.ok(m.jwks_uri);
    assert.ok(m.end_session_endpoint, 'end_session_endpoint');
    assert.ok(m.revocation_endpoint, 'revocation_endpoint');
    assert.ok(m.introspection_endpoint, 'introspection_endpoint');
    assert.deepEqual(m.response_types_supported, ['code']);
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
    assert.ok(m.id_token_signing_alg_values_supported.includes('ES256'));
    assert.ok(!m.id_token_signing_alg_values_supported.includes('none'));
    assert.equal(m.subject_types_supported.includes('pairwise'), true);
    for (const acr of ['urn:dancu:acr:level1', 'urn:dancu:acr:level2']) {
      assert.ok(m.acr_values_supported.includes(acr), acr);
    }
    for (const auth of ['client_secret_basic', 'client_secret_post', 'private_key_jwt']) {
      assert.ok(m.token_endpoint_auth_methods_supported.includes(auth), auth);
    }
    const jwks = await (await fetch(m.jwks_uri)).json();
    assert.ok(jwks.keys.length >= 1);
    for (const k of jwks.keys) {
      assert.equal(k.kty, 'EC');
      assert.equal(k.crv, 'P-256');
      assert.ok(k.kid);
      assert.equal(k.d, undefined, 'no private part in the JWKS');
    }
  });

  it('registers a level-1 account through the pages with the SMS code', async () => {
    const page = await registerAccount(browser, citizen, citizen.password);
    assert.ok(page.status < 400, page.describe());
  });

  it('signs in, consents and exchanges the code (PKCE S256) at client A', async () => {
    const fresh = newBrowser(); // signed out: the sign-in page comes first
    flowA = await codeFlow(a.config, a.client, fresh, {
      scope: 'openid profile address phone offline_access',
      citizen,
    });
    assert.ok(flowA.steps.includes('signin'), `steps ${flowA.steps}`);
    assert.ok(flowA.steps.includes('consent'), `steps ${flowA.steps}`);
    assert.equal(flowA.tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(flowA.tokens.access_token);
    assert.ok(flowA.tokens.id_token);
    assert.ok(flowA.tokens.refresh_token, 'offline_access gives a refresh token');
    flowA.browser = fresh;
  });

  it('issues an ID token that jose validates against the JWKS', async () => {
    const { payload, protectedHeader } = await verifyIdToken(a.config, flowA.tokens.id_token, a.client.client_id);
    assert.equal(protectedHeader.alg, 'ES256');
    assert.ok(protectedHeader.kid);
    assert.equal(payload.iss, a.config.serverMetadata().issuer);
    assert.equal(payload.aud === a.client.client_id || (Array.isArray(payload.aud) && payload.aud.includes(a.client.client_id)), true);
    assert.equal(payload.nonce, flowA.nonce);
    assert.equal(payload.acr, ACR1);
    assert.ok(Array.isArray(payload.amr) && payload.amr.includes('pwd'), `amr ${payload.amr}`);
    assert.ok(!payload.amr.includes('otp'));
    assert.ok(typeof payload.sub === 'string' && payload.sub.length >= 20);
    assert.notEqual(payload.sub, citizen.id, 'sub is pairwise, not the CitizenId');
    assert.ok(payload.exp > payload.iat);
    assert.ok(Math.abs(payload.auth_time - Date.now() / 1000) < 300);
    assert.equal(payload.citizen_id, undefined);
    // openid-client's own view of the same token.
    assert.equal(flowA.tokens.claims().sub, payload.sub);
  });

  it('returns the userinfo claims of the granted scopes', async () => {
    const sub = flowA.tokens.claims().sub;
    const info = await oidc.fetchUserInfo(a.config, flowA.tokens.access_token, sub);
    assert.equal(info.sub, sub);
    assert.equal(info.name, citizen.full_name);
    assert.equal(info.birthdate, citizen.date_of_birth);
    assert.ok(['male', 'female'].includes(info.gender), `gender ${info.gender}`);
    assert.ok(info.address && typeof info.address === 'object', 'address claim');
    assert.equal(info.phone_number, citizen.phone);
    assert.equal(info.citizen_id, undefined, 'no citizen_id without the scope');
  });

  it('gives only sub for scope openid, with remembered consent', async () => {
    const flow = await codeFlow(a.config, a.client, flowA.browser, { scope: 'openid' });
    assert.deepEqual(flow.steps, ['redirect'], 'signed in and consented: no page');
    const sub = flow.tokens.claims().sub;
    assert.equal(sub, flowA.tokens.claims().sub);
    const info = await oidc.fetchUserInfo(a.config, flow.tokens.access_token, sub);
    assert.deepEqual(Object.keys(info), ['sub']);
  });

  it('gives client B another pairwise sub and, with its scope, the CitizenId', async () => {
    const flow = await codeFlow(b.config, b.client, flowA.browser, { scope: 'openid profile citizen_id' });
    assert.ok(flow.steps.includes('consent'), 'client B asks for consent');
    assert.ok(!flow.steps.includes('signin'), 'the session is reused');
    const subB = flow.tokens.claims().sub;
    assert.notEqual(subB, flowA.tokens.claims().sub);
    const info = await oidc.fetchUserInfo(b.config, flow.tokens.access_token, subB);
    assert.equal(info.citizen_id, citizen.id);
    assert.equal(info.name, citizen.full_name);
    // The same sub again for the same client.
    const again = await codeFlow(b.config, b.client, flowA.browser, { scope: 'openid' });
    assert.equal(again.tokens.claims().sub, subB);
  });

  it('refreshes the tokens', async () => {
    const refreshed = await oidc.refreshTokenGrant(a.config, flowA.tokens.refresh_token);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.access_token, flowA.tokens.access_token);
    const info = await oidc.fetchUserInfo(a.config, refreshed.access_token, flowA.tokens.claims().sub);
    assert.equal(info.sub, flowA.tokens.claims().sub);
    flowA.refreshed = refreshed;
  });

  it('revokes a refresh token (RFC 7009): it no longer refreshes', async () => {
    const rt = flowA.refreshed.refresh_token ?? flowA.tokens.refresh_token;
    const before = await oidc.tokenIntrospection(a.config, rt);
    assert.equal(before.active, true);
    await oidc.tokenRevocation(a.config, rt);
    const after = await oidc.tokenIntrospection(a.config, rt);
    assert.equal(after.active, false);
    await assert.rejects(oidc.refreshTokenGrant(a.config, rt), (e) => e.error === 'invalid_grant');
  });

  it('revokes an access token: introspection and userinfo refuse it', async () => {
    const at = flowA.refreshed.access_token;
    assert.equal((await oidc.tokenIntrospection(a.config, at)).active, true);
    await oidc.tokenRevocation(a.config, at);
    assert.equal((await oidc.tokenIntrospection(a.config, at)).active, false);
    const res = await fetch(a.config.serverMetadata().userinfo_endpoint, { headers: { authorization: `Bearer ${at}` } });
    assert.equal(res.status, 401);
  });

  it('signs the browser out with RP-initiated logout', async () => {
    const state = oidc.randomState();
    const url = oidc.buildEndSessionUrl(a.config, {
      id_token_hint: flowA.tokens.id_token,
      post_logout_redirect_uri: a.client.post_logout_redirect_uri,
      state,
    });
    const { page } = await runAuthorization(flowA.browser, url);
    const back = new URL(page.location);
    assert.equal(`${back.origin}${back.pathname}`, a.client.post_logout_redirect_uri);
    assert.equal(back.searchParams.get('state'), state);
    // The browser is signed out: prompt=none now answers login_required.
    const { url: silent } = await authorizationUrl(a.config, a.client, { prompt: 'none' });
    const res = await flowA.browser.go(silent.toString());
    const cb = new URL(res.location);
    assert.equal(cb.searchParams.get('error'), 'login_required');
  });
});
