#!/usr/bin/env node
// A sample relying party for dancu: "Sign in with dancu" with the
// authorization-code flow + PKCE (openid-client), then the ID-token claims
// and userinfo as HTML tables. Development only: state lives in memory.
//   node rp.mjs --issuer http://127.0.0.1:8080 --client-id ID --client-secret SECRET [--port 3000]
// Register it first with
//   dancu clients add --data DIR --name "Sample RP" --redirect-uri http://127.0.0.1:3000/callback \
//     --post-logout-redirect-uri http://127.0.0.1:3000/ --scopes "openid profile address phone"
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import * as client from 'openid-client';

const { values: opt } = parseArgs({
  options: {
    issuer: { type: 'string', default: 'http://127.0.0.1:8080' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    port: { type: 'string', default: '3000' },
    scope: { type: 'string', default: 'openid profile address phone' },
  },
});
if (!opt['client-id'] || !opt['client-secret']) {
  console.error('usage: node rp.mjs --issuer URL --client-id ID --client-secret SECRET [--port 3000] [--scope "openid profile"]');
  process.exit(2);
}
const base = `http://127.0.0.1:${opt.port}`;
const redirectUri = `${base}/callback`;
const issuer = new URL(opt.issuer);
// client_secret_basic: the default of `dancu clients add`.
const config = await client.discovery(issuer, opt['client-id'], opt['client-secret'],
  client.ClientSecretBasic(opt['client-secret']),
  issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {});

const pending = new Map(); // browser id -> {verifier, state, nonce}
const signedIn = new Map(); // browser id -> {claims, userinfo, idToken}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const table = (obj) => `<table border="1" cellpadding="4"><tr><th>claim</th><th>value</th></tr>${Object.entries(obj)
  .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(typeof v === 'object' ? JSON.stringify(v) : v)}</td></tr>`).join('')}</table>`;
const page = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Sample relying party</title><body>${body}</body></html>`);
};
const browserId = (req, res) => {
  const m = /(?:^|;\s*)rp=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '');
  if (m) return m[1];
  const id = randomBytes(16).toString('base64url');
  res.setHeader('set-cookie', `rp=${id}; HttpOnly; SameSite=Lax; Path=/`);
  return id;
};

createServer(async (req, res) => {
  if (req.headers.host !== new URL(base).host) { // one origin, so the cookie comes back to /callback
    res.writeHead(302, { location: new URL(req.url, base).href });
    return res.end();
  }
  const url = new URL(req.url, base);
  const id = browserId(req, res);
  try {
    if (url.pathname === '/') {
      const s = signedIn.get(id);
      if (!s) return page(res, 200, '<h1>Sample relying party</h1><p><a href="/login">Sign in with dancu</a></p>');
      return page(res, 200, `<h1>Signed in</h1><h2>ID token claims</h2>${table(s.claims)}<h2>Userinfo</h2>${table(s.userinfo)}
        <p><a href="/logout">Sign out (also from dancu)</a></p>`);
    }
    if (url.pathname === '/login') {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      pending.set(id, { verifier, state, nonce });
      const target = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri, scope: opt.scope, state, nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      res.writeHead(302, { location: target.href });
      return res.end();
    }
    if (url.pathname === '/callback') {
      const p = pending.get(id);
      if (!p) return page(res, 400, '<p>No sign-in in progress. <a href="/">Start again</a></p>');
      pending.delete(id);
      const tokens = await client.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: p.verifier, expectedState: p.state, expectedNonce: p.nonce, idTokenExpected: true,
      });
      const claims = tokens.claims();
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      signedIn.set(id, { claims, userinfo, idToken: tokens.id_token });
      res.writeHead(303, { location: '/' });
      return res.end();
    }
    if (url.pathname === '/logout') {
      const s = signedIn.get(id);
      signedIn.delete(id);
      const target = s && config.serverMetadata().end_session_endpoint
        ? client.buildEndSessionUrl(config, { id_token_hint: s.idToken, post_logout_redirect_uri: `${base}/` }).href : '/';
      res.writeHead(302, { location: target });
      return res.end();
    }
    page(res, 404, '<p>Not found</p>');
  } catch (e) {
    page(res, 400, `<h1>Sign-in failed</h1><pre>${esc(e.error ?? '')} ${esc(e.error_description ?? e.message)}</pre><p><a href="/">Back</a></p>`);
  }
}).listen(Number(opt.port), '127.0.0.1', () => console.log(`sample relying party on ${base} (issuer ${opt.issuer})`));
