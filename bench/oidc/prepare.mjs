// Prepares the OIDC benchmarks (bench/oidc.sh): signs a user in once in a
// scripted browser, gives consent, and prints the shell variables the wrk
// scripts (flow.lua, mint.lua, token.lua, signin.lua) read.
//   node prepare.mjs dancu            (DANCU_E2E_FIXTURE and DANCU_E2E_ISSUER set, from
//                                       tests/e2e/oidc/lib/setup.mjs; writes $SIGNIN_BODIES)
//   node prepare.mjs provider ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Browser } from '../../tests/e2e/oidc/lib/browser.mjs';

const VERIFIER = randomBytes(32).toString('base64url');
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const out = {};
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

async function discover(issuer) {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`discovery at ${issuer}: ${res.status}`);
  return res.json();
}

function authorizePath(meta, clientId, redirectUri, scope) {
  const u = new URL(meta.authorization_endpoint);
  u.search = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope,
    state: 'bench-state', nonce: 'bench-nonce', code_challenge: CHALLENGE, code_challenge_method: 'S256',
  }).toString();
  return u;
}

function flowVars(meta, clientId, secret, redirectUri, authorize, cookie) {
  out.FLOW_AUTHORIZE = authorize.pathname + authorize.search;
  out.FLOW_TOKEN = new URL(meta.token_endpoint).pathname;
  out.FLOW_USERINFO = new URL(meta.userinfo_endpoint).pathname;
  out.FLOW_COOKIE = cookie;
  out.FLOW_BASIC = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
  out.FLOW_VERIFIER = VERIFIER;
  out.FLOW_REDIRECT_URI_ENC = encodeURIComponent(redirectUri);
}

// Runs the authorization once in the browser (sign-in and consent pages,
// answered by `answer`), and checks that the next one needs no page.
async function establish(browser, authorize, answer) {
  let page = await browser.go(authorize.toString());
  for (let i = 0; i < 8 && !page.isRedirect; i++) page = await answer(page);
  if (!page.isRedirect || !new URL(page.location).searchParams.get('code')) {
    throw new Error(`could not sign in: ${page.describe()}\n${browser.trace()}`);
  }
  const again = await browser.request(authorize.toString());
  if (!again.isRedirect || !new URL(again.location).searchParams.get('code')) {
    throw new Error(`the session does not give codes without a page: ${again.describe()}`);
  }
}

const mode = process.argv[2];
if (mode === 'provider') {
  const [issuer, clientId, secret, redirectUri] = process.argv.slice(3);
  const meta = await discover(issuer);
  const browser = new Browser(issuer);
  const authorize = authorizePath(meta, clientId, redirectUri, 'openid profile');
  await establish(browser, authorize, async (page) => {
    const login = page.findForm((i) => i.name === 'login');
    if (login) return browser.submit(login, { login: 'bench-account', password: 'any' });
    const consent = page.forms.find((f) => f.fields.some((x) => x.name === 'prompt' && x.value === 'consent'));
    if (consent) return browser.submit(consent, {});
    throw new Error(`unexpected oidc-provider page: ${page.describe()}`);
  });
  flowVars(meta, clientId, secret, redirectUri, authorize,
    [...browser.cookies].filter(([k]) => k.startsWith('_session')).map(([k, v]) => `${k}=${v}`).join('; '));
} else if (mode === 'dancu') {
  const { fx, citizens } = await import('../../tests/e2e/oidc/lib/fixture.mjs');
  const flow = await import('../../tests/e2e/oidc/lib/flow.mjs');
  const people = citizens('bench').slice(0, 8);
  for (const c of people) await flow.registerAccount(flow.newBrowser(), c, c.password);
  const meta = await discover(fx.issuer);
  const a = fx.clients.a;
  const browser = flow.newBrowser();
  const authorize = authorizePath(meta, a.client_id, a.redirect_uri, 'openid profile');
  await establish(browser, authorize, async (page) => {
    const kind = flow.classify(page);
    if (kind === 'signin') return flow.submitSignIn(browser, page, people[0]);
    if (kind === 'consent') return flow.submitConsent(browser, page, true);
    throw new Error(`unexpected dancu page (${kind}): ${page.describe()}`);
  });
  flowVars(meta, a.client_id, a.client_secret, a.redirect_uri, authorize,
    `dancu_session=${browser.cookies.get('dancu_session')}`);

  // Sign-in bodies: the sign-in form of a fresh browser, one line per account.
  const signer = flow.newBrowser();
  const page = await signer.go('/signin');
  const form = page.findForm((i) => i.type === 'password');
  if (!form) throw new Error(`no sign-in form at /signin: ${page.describe()}`);
  const idField = form.inputs.find((i) => ['citizen_id', 'id'].includes(i.name)).name;
  const pwField = form.inputs.find((i) => i.type === 'password').name;
  const lines = people.map((c) => {
    const body = new URLSearchParams();
    for (const f of form.fields) if (f.name !== idField && f.name !== pwField) body.append(f.name, f.value);
    body.append(idField, c.id);
    body.append(pwField, c.password);
    return body.toString();
  });
  writeFileSync(process.env.SIGNIN_BODIES, `${lines.join('\n')}\n`);
  out.SIGNIN_PATH = new URL(form.action).pathname + new URL(form.action).search;
  out.SIGNIN_COOKIE = signer.cookieHeader();
} else {
  console.error('usage: node prepare.mjs dancu | provider ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}
for (const [k, v] of Object.entries(out)) console.log(`export ${k}=${q(v)}`);
