// Token-endpoint client authentication: client_secret_post and
// private_key_jwt (RFC 7523) through openid-client, and the refusals of a
// client assertion that is replayed, signed by another key, or sent by a
// method the client was not registered for.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { SignJWT, importJWK, generateKeyPair } from 'jose';
import { rp, citizens, verifyIdToken } from '../lib/fixture.mjs';
import { newBrowser, registerAccount, codeFlow, authorizationUrl, runAuthorization } from '../lib/flow.mjs';

describe('client authentication at the token endpoint', () => {
  const citizen = citizens('negative')[1];
  const browser = newBrowser();
  let post;
  let jwt;

  before(async () => {
    post = await rp('post');
    jwt = await rp('jwt');
    await registerAccount(newBrowser(), citizen, citizen.password);
  });

  it('accepts client_secret_post', async () => {
    const flow = await codeFlow(post.config, post.client, browser, { scope: 'openid profile', citizen });
    const { payload } = await verifyIdToken(post.config, flow.tokens.id_token, post.client.client_id);
    assert.equal(payload.aud, post.client.client_id);
  });

  it('accepts private_key_jwt', async () => {
    const flow = await codeFlow(jwt.config, jwt.client, browser, { scope: 'openid profile', citizen });
    const { payload } = await verifyIdToken(jwt.config, flow.tokens.id_token, jwt.client.client_id);
    assert.equal(payload.aud, jwt.client.client_id);
    const info = await oidc.fetchUserInfo(jwt.config, flow.tokens.access_token, payload.sub);
    assert.equal(info.name, citizen.full_name);
  });

  // A code for the private_key_jwt client and its verifier.
  async function jwtCode() {
    const { url, verifier } = await authorizationUrl(jwt.config, jwt.client, { scope: 'openid' });
    const { page } = await runAuthorization(browser, url, { citizen });
    return { code: new URL(page.location).searchParams.get('code'), verifier };
  }

  async function assertion(key, kid, { jti = randomUUID() } = {}) {
    const m = jwt.config.serverMetadata();
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(jwt.client.client_id)
      .setSubject(jwt.client.client_id)
      .setAudience(m.issuer)
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(key);
  }

  async function exchange(code, verifier, clientAssertion) {
    const res = await fetch(jwt.config.serverMetadata().token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: jwt.client.redirect_uri,
        client_id: jwt.client.client_id,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion,
      }),
    });
    return { status: res.status, json: await res.json() };
  }

  it('refuses a replayed client assertion', async () => {
    const key = await importJWK(jwt.client.private_jwk, 'ES256');
    const a = await assertion(key, jwt.client.private_jwk.kid);
    const first = await jwtCode();
    const ok = await exchange(first.code, first.verifier, a);
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    const second = await jwtCode();
    const replay = await exchange(second.code, second.verifier, a);
    assert.equal(replay.status, 401, JSON.stringify(replay.json));
    assert.equal(replay.json.error, 'invalid_client');
  });

  it('refuses an assertion signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const { code, verifier } = await jwtCode();
    const r = await exchange(code, verifier, await assertion(privateKey, jwt.client.private_jwk.kid));
    assert.equal(r.status, 401);
    assert.equal(r.json.error, 'invalid_client');
  });

  it('refuses client_secret_basic for a client registered with client_secret_post', async () => {
    const { url, verifier } = await authorizationUrl(post.config, post.client, {});
    const { page } = await runAuthorization(browser, url, { citizen });
    const code = new URL(page.location).searchParams.get('code');
    const res = await fetch(post.config.serverMetadata().token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${post.client.client_id}:${post.client.client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: post.client.redirect_uri }),
    });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error, 'invalid_client');
  });
});
