// Negative cases of the OpenID conformance suite's Basic OP plan and the
// issue's "Bad input" list, against the running server.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { SignJWT, generateKeyPair, decodeJwt, decodeProtectedHeader } from 'jose';
import { fx, rp, citizens, verifyIdToken } from '../lib/fixture.mjs';
import { newBrowser, registerAccount, codeFlow, authorizationUrl, runAuthorization, classify } from '../lib/flow.mjs';

const ACR2 = 'urn:dancu:acr:level2';

function b64url(s) {
  return Buffer.from(s).toString('base64url');
}

describe('negative cases (Basic OP plan and bad input)', () => {
  const citizen = citizens('negative')[0];
  const browser = newBrowser();
  let a;
  let tokens; // a valid token set of client A

  before(async () => {
    a = await rp('a');
    await registerAccount(newBrowser(), citizen, citizen.password);
    const flow = await codeFlow(a.config, a.client, browser, { scope: 'openid profile', citizen });
    tokens = flow.tokens;
  });

  // Mints a code in the signed-in browser and returns it with its verifier.
  async function mintCode(params = {}) {
    const { url, verifier, state } = await authorizationUrl(a.config, a.client, params);
    const { page } = await runAuthorization(browser, url, { citizen });
    const cb = new URL(page.location);
    assert.ok(cb.searchParams.get('code'), page.location);
    return { cb, verifier, state, code: cb.searchParams.get('code') };
  }

  async function tokenRequest(form, auth = a.client) {
    const res = await fetch(a.config.serverMetadata().token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.client_id)}:${encodeURIComponent(auth.client_secret)}`).toString('base64')}`,
      },
      body: new URLSearchParams(form),
    });
    return { status: res.status, json: await res.json().catch(() => ({})), headers: res.headers };
  }

  it('answers invalid_grant for a reused code and revokes what it issued', async () => {
    const { cb, verifier, state } = await mintCode();
    const first = await oidc.authorizationCodeGrant(a.config, cb, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
    assert.ok(first.access_token);
    await assert.rejects(
      oidc.authorizationCodeGrant(a.config, cb, { pkceCodeVerifier: verifier, expectedState: state }),
      (e) => e.error === 'invalid_grant',
    );
    // RFC 6749 §4.1.2: the tokens issued from the reused code are revoked.
    assert.equal((await oidc.tokenIntrospection(a.config, first.access_token)).active, false);
  });

  it('answers invalid_grant for a wrong PKCE verifier', async () => {
    const { cb, state } = await mintCode();
    await assert.rejects(
      oidc.authorizationCodeGrant(a.config, cb, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state }),
      (e) => e.error === 'invalid_grant',
    );
  });

  it('answers invalid_grant without a verifier', async () => {
    const { code } = await mintCode();
    const r = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: a.client.redirect_uri });
    assert.equal(r.status, 400);
    assert.ok(['invalid_grant', 'invalid_request'].includes(r.json.error), JSON.stringify(r.json));
  });

  it('refuses a wrong client secret with invalid_client', async () => {
    const { code, verifier } = await mintCode();
    const r = await tokenRequest(
      { grant_type: 'authorization_code', code, redirect_uri: a.client.redirect_uri, code_verifier: verifier },
      { client_id: a.client.client_id, client_secret: 'dancu_cs_wrong' },
    );
    assert.equal(r.status, 401);
    assert.equal(r.json.error, 'invalid_client');
  });

  it('does not require nonce in the code flow', async () => {
    const flow = await codeFlow(a.config, a.client, browser, { scope: 'openid', nonce: false });
    const { payload } = await verifyIdToken(a.config, flow.tokens.id_token, a.client.client_id);
    assert.equal(payload.nonce, undefined);
  });

  it('shows an error page, not a redirect, for an unregistered redirect_uri', async () => {
    for (const redirect_uri of ['http://127.0.0.1:9/cb/evil', 'https://evil.example/cb', `${a.client.redirect_uri}/x`, `${a.client.redirect_uri}?x=1`]) {
      const { url } = await authorizationUrl(a.config, a.client, { redirect_uri });
      const page = await browser.request(url.toString());
      assert.equal(page.status, 400, `${redirect_uri}: ${page.describe()}`);
      assert.equal(page.location, null, redirect_uri);
      assert.match(page.headers.get('content-type'), /text\/html/);
    }
  });

  it('shows an error page for an unknown client_id', async () => {
    const { url } = await authorizationUrl(a.config, a.client, {});
    url.searchParams.set('client_id', 'no-such-client');
    const page = await browser.request(url.toString());
    assert.equal(page.status, 400, page.describe());
    assert.equal(page.location, null);
  });

  it('redirects with an error when PKCE is missing or not S256', async () => {
    const { url } = await authorizationUrl(a.config, a.client, {});
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    let page = await browser.request(url.toString());
    assert.ok(page.isRedirect, page.describe());
    assert.equal(new URL(page.location).searchParams.get('error'), 'invalid_request');
    const { url: plain } = await authorizationUrl(a.config, a.client, {});
    plain.searchParams.set('code_challenge_method', 'plain');
    page = await browser.request(plain.toString());
    assert.equal(new URL(page.location).searchParams.get('error'), 'invalid_request');
  });

  it('refuses response types other than code', async () => {
    const { url, state } = await authorizationUrl(a.config, a.client, {});
    url.searchParams.set('response_type', 'token');
    const page = await browser.request(url.toString());
    assert.ok(page.isRedirect, page.describe());
    const cb = new URL(page.location);
    assert.equal(cb.searchParams.get('error'), 'unsupported_response_type');
    assert.equal(cb.searchParams.get('state'), state);
  });

  it('refuses an oversized parameter', async () => {
    const { url } = await authorizationUrl(a.config, a.client, { state: 'x'.repeat(5000) });
    const page = await browser.request(url.toString());
    assert.ok(page.status === 400 || page.status === 414 || (page.isRedirect && new URL(page.location).searchParams.get('error') === 'invalid_request'), page.describe());
  });

  it('answers login_required for prompt=none without a session', async () => {
    const { url, state } = await authorizationUrl(a.config, a.client, { prompt: 'none' });
    const page = await newBrowser().request(url.toString());
    assert.ok(page.isRedirect, page.describe());
    const cb = new URL(page.location);
    assert.equal(`${cb.origin}${cb.pathname}`, a.client.redirect_uri);
    assert.equal(cb.searchParams.get('error'), 'login_required');
    assert.equal(cb.searchParams.get('state'), state);
  });

  it('signs in again for prompt=login', async () => {
    const { url } = await authorizationUrl(a.config, a.client, { prompt: 'login' });
    const page = await browser.go(url.toString());
    assert.equal(classify(page), 'signin', page.describe());
  });

  it('refuses level 2 for a level-1 account with the documented error', async () => {
    const { url, state } = await authorizationUrl(a.config, a.client, { acr_values: ACR2 });
    const { page } = await runAuthorization(browser, url, { citizen });
    const cb = new URL(page.location);
    assert.equal(cb.searchParams.get('error'), 'unmet_authentication_requirements', page.location);
    assert.ok(cb.searchParams.get('error_description'));
    assert.equal(cb.searchParams.get('state'), state);
  });

  it('answers access_denied when the citizen refuses consent', async () => {
    const b = await rp('b');
    const { url, state } = await authorizationUrl(b.config, b.client, { scope: 'openid profile' });
    const { page, steps } = await runAuthorization(browser, url, { citizen, consent: false });
    assert.ok(steps.includes('consent'), `steps ${steps}`);
    const cb = new URL(page.location);
    assert.equal(`${cb.origin}${cb.pathname}`, b.client.redirect_uri);
    assert.equal(cb.searchParams.get('error'), 'access_denied');
    assert.equal(cb.searchParams.get('state'), state);
    assert.equal(cb.searchParams.get('code'), null);
  });

  it('refuses alg=none and forged tokens at userinfo with 401', async () => {
    const userinfo = a.config.serverMetadata().userinfo_endpoint;
    const ask = (token) => fetch(userinfo, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await ask(tokens.access_token)).status, 200);
    const claims = decodeJwt(tokens.access_token);
    const header = decodeProtectedHeader(tokens.access_token);
    // alg=none with the same claims.
    const none = `${b64url(JSON.stringify({ alg: 'none', typ: header.typ }))}.${b64url(JSON.stringify(claims))}.`;
    // Signed with a key of our own under the server's kid.
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claims).setProtectedHeader({ ...header, alg: 'ES256' }).sign(privateKey);
    // The real signature over changed claims.
    const [h, , s] = tokens.access_token.split('.');
    const tampered = `${h}.${b64url(JSON.stringify({ ...claims, sub: 'someone-else' }))}.${s}`;
    for (const [name, t] of Object.entries({ none, forged, tampered, garbage: 'not-a-jwt' })) {
      const res = await ask(t);
      assert.equal(res.status, 401, name);
      assert.match(res.headers.get('www-authenticate') ?? '', /Bearer/, name);
    }
    // No token at all.
    assert.equal((await fetch(userinfo)).status, 401);
  });

  it('refuses an ID token used as an access token at userinfo', async () => {
    // (Expired tokens are tested in tests/identity with an injected clock:
    // here the server's real clock would mean waiting 10 minutes.)
    const res = await fetch(a.config.serverMetadata().userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.id_token}` } });
    assert.equal(res.status, 401);
  });

  it('refuses a form post without the CSRF token with 403', async () => {
    const fresh = newBrowser();
    const page = await fresh.go('/signin');
    const form = page.findForm((i) => i.type === 'password');
    assert.ok(form, page.describe());
    const values = Object.fromEntries(form.fields.filter((f) => f.name !== 'csrf').map((f) => [f.name, f.value]));
    for (const i of form.inputs) if (i.type === 'password') values[i.name] = citizen.password;
    const res = await fresh.request(form.action, { method: 'POST', form: values });
    assert.equal(res.status, 403, res.describe());
    // A forged token is refused the same way.
    const forged = await fresh.request(form.action, { method: 'POST', form: { ...values, csrf: 'AAAA' } });
    assert.equal(forged.status, 403, forged.describe());
  });

  it('does not follow an open redirect after sign-in', async () => {
    for (const target of ['https://evil.example/', '//evil.example/', '/\\evil.example/']) {
      const fresh = newBrowser();
      const page = await fresh.go(`/signin?return_to=${encodeURIComponent(target)}`);
      const form = page.findForm((i) => i.type === 'password');
      const values = {};
      for (const i of form.inputs) if (i.type === 'password') values[i.name] = citizen.password;
      const idField = form.inputs.find((i) => ['citizen_id', 'id'].includes(i.name));
      values[idField.name] = citizen.id;
      const after = await fresh.submit(form, values);
      assert.ok(!after.location || new URL(after.location, fx.issuer).origin === new URL(fx.issuer).origin, `${target} -> ${after.location}`);
    }
  });
});
