// The test fixture written by run.sh: the server's issuer URL, the data
// directory, the registered clients, test citizens and the officer.
import { readFileSync } from 'node:fs';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify, importJWK } from 'jose';

const path = process.env.DANCU_E2E_FIXTURE;
if (!path) throw new Error('DANCU_E2E_FIXTURE is not set: run the tests through tests/e2e/oidc/run.sh');
export const fx = JSON.parse(readFileSync(path, "utf8"));
fx.issuer = process.env.DANCU_E2E_ISSUER ?? fx.issuer;

// Hands out each test citizen once across the test files of one run (the
// run.sh fixture lists distinct citizens per file: fx.citizens[file][i]).
export function citizens(group) {
  const list = fx.citizens[group];
  if (!list) throw new Error(`no citizens for group ${group} in the fixture`);
  return list;
}

// An openid-client Configuration for one registered client (discovery).
// The client authentication is the one the client was registered with.
export async function rp(key) {
  const c = fx.clients[key];
  if (!c) throw new Error(`no client ${key} in the fixture`);
  let method;
  if (c.auth_method === 'private_key_jwt') {
    method = oidc.PrivateKeyJwt({ key: await importJWK(c.private_jwk, 'ES256'), kid: c.private_jwk.kid });
  } else if (c.auth_method === 'client_secret_post') {
    method = oidc.ClientSecretPost(c.client_secret);
  } else {
    method = oidc.ClientSecretBasic(c.client_secret);
  }
  const metadata = c.client_secret ? { client_secret: c.client_secret } : {};
  const config = await oidc.discovery(new URL(fx.issuer), c.client_id, metadata, method, {
    execute: [oidc.allowInsecureRequests], // the test server is http://127.0.0.1
  });
  return { config, client: c };
}

let jwks;
export function serverJwks(config) {
  if (!jwks) jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
  return jwks;
}

// Validates an ID token with jose against the server's JWKS.
export async function verifyIdToken(config, idToken, clientId) {
  const { payload, protectedHeader } = await jwtVerify(idToken, serverJwks(config), {
    issuer: config.serverMetadata().issuer,
    audience: clientId,
    algorithms: ['ES256'],
  });
  return { payload, protectedHeader };
}
