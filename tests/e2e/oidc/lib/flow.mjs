// Drives the server-rendered pages the way a citizen in a browser does:
// registration with the one-time code from the development SMS outbox,
// sign-in (password, then the TOTP step at level 2), consent, and the
// authorization-code flow with PKCE through openid-client.

import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { Browser } from './browser.mjs';
import { fx } from './fixture.mjs';
import { totp, totpStep } from './totp.mjs';

export function newBrowser() {
  return new Browser(fx.issuer);
}

// The newest one-time code sent to `phone` (matched on its last 9 digits).
export function lastSmsCode(phone) {
  const file = join(fx.data, 'outbox', 'sms.jsonl');
  if (!existsSync(file)) throw new Error(`no SMS outbox at ${file}`);
  const tail = phone.replace(/\D/g, '').slice(-9);
  const lines = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const mine = lines.filter((m) => m.to.replace(/\D/g, '').endsWith(tail));
  if (mine.length === 0) throw new Error(`no SMS to ${phone} in ${file}`);
  return mine[mine.length - 1].code;
}

export function smsCount() {
  const file = join(fx.data, 'outbox', 'sms.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).length : 0;
}

function fail(msg, page, browser) {
  return new Error(`${msg}\n  page: ${page.describe()}\n  trace:\n  ${browser.trace()}`);
}

// Registers a level-1 account through /register. Returns the final page.
export async function registerAccount(browser, citizen, password) {
  let page = await browser.go('/register');
  let form = page.findForm((i) => i.name === 'citizen_id');
  if (!form) throw fail('no registration form at /register', page, browser);
  const before = smsCount();
  page = await browser.submit(form, {
    citizen_id: citizen.id,
    full_name: citizen.full_name,
    date_of_birth: citizen.date_of_birth,
    phone: citizen.phone,
  });
  if (smsCount() <= before) throw fail('registration sent no SMS', page, browser);
  form = page.forms.find((f) => new URL(f.action).pathname === '/register/code');
  if (!form) throw fail('no one-time code form after the registration form', page, browser);
  page = await browser.submit(form, { code: lastSmsCode(citizen.phone) });
  form = page.forms.find((f) => new URL(f.action).pathname === '/register/password');
  if (!form) throw fail('no password form after the one-time code', page, browser);
  page = await browser.submit(form, { password, password_confirm: password });
  if (page.status >= 400 || /\/register/.test(new URL(page.url).pathname)) {
    throw fail('setting the password failed', page, browser);
  }
  return page;
}

const actionPath = (form) => new URL(form.action).pathname;

// What kind of step a page is: the sign-in form (POST /signin), the TOTP
// step (POST /signin/otp), the consent page (POST /oidc/consent), or a
// redirect.
export function classify(page) {
  if (page.isRedirect) return 'redirect';
  if (page.forms.some((f) => actionPath(f) === '/signin')) return 'signin';
  if (page.forms.some((f) => actionPath(f) === '/signin/otp')) return 'totp';
  if (page.forms.some((f) => actionPath(f) === '/oidc/consent')) return 'consent';
  return 'other';
}

// Signs in on a sign-in page.
export async function submitSignIn(browser, page, citizen) {
  const form = page.forms.find((f) => actionPath(f) === '/signin');
  return browser.submit(form, { citizen_id: citizen.id, password: citizen.password });
}

// The TOTP step; citizen.totpKey is the enrolled secret. Uses the next
// step after the last one used in this run, so no code is sent twice
// (each code is usable once).
export function nextTotpCode(citizen) {
  const now = totpStep();
  const step = Math.max(now, (citizen.lastTotpStep ?? -Infinity) + 1);
  if (step > now + 1) throw new Error('test uses more than two TOTP codes within 30 s for one account');
  citizen.lastTotpStep = step;
  return totp(citizen.totpKey, step);
}

export async function submitTotp(browser, page, citizen, code = nextTotpCode(citizen)) {
  const form = page.forms.find((f) => actionPath(f) === '/signin/otp');
  return browser.submit(form, { code });
}

// The consent page's buttons: decision=approve or decision=deny.
export async function submitConsent(browser, page, approve = true) {
  const form = page.forms.find((f) => actionPath(f) === '/oidc/consent');
  const value = approve ? 'approve' : 'deny';
  const button = form.buttons.find((b) => b.name === 'decision' && b.value === value);
  if (!button) throw fail(`no ${value} button on the consent page`, page, browser);
  return browser.submit(form, {}, { button });
}

// Goes through an authorization request in the browser until the server
// redirects to another origin (the relying party). `actor` answers the
// pages: {citizen, consent: true|false}. Returns {page, steps}.
export async function runAuthorization(browser, url, { citizen, consent = true } = {}) {
  let page = await browser.go(url.toString());
  const steps = [];
  for (let i = 0; i < 8; i++) {
    const kind = classify(page);
    steps.push(kind);
    if (kind === 'redirect') return { page, steps };
    if (kind === 'signin' && citizen?.password) page = await submitSignIn(browser, page, citizen);
    else if (kind === 'totp' && citizen?.totpKey) page = await submitTotp(browser, page, citizen);
    else if (kind === 'consent') page = await submitConsent(browser, page, consent);
    else throw fail(`unexpected page during authorization (step ${kind})`, page, browser);
  }
  throw fail('authorization did not finish in 8 steps', page, browser);
}

// A complete code flow: authorization URL with PKCE S256, state and nonce,
// the browser part, and the code exchange with openid-client.
export async function codeFlow(config, clientFx, browser, { scope = 'openid', extra = {}, citizen, consent = true, nonce = true } = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const challenge = await oidc.calculatePKCECodeChallenge(verifier);
  const state = oidc.randomState();
  const params = {
    redirect_uri: clientFx.redirect_uri,
    scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    ...extra,
  };
  const expectedNonce = nonce ? oidc.randomNonce() : undefined;
  if (expectedNonce) params.nonce = expectedNonce;
  const url = oidc.buildAuthorizationUrl(config, params);
  const { page, steps } = await runAuthorization(browser, url, { citizen, consent });
  const callback = new URL(page.location);
  if (callback.searchParams.has('error')) {
    const e = new Error(`authorization error ${callback.searchParams.get('error')}: ${callback.searchParams.get('error_description')}`);
    e.callback = callback;
    e.steps = steps;
    throw e;
  }
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce,
    idTokenExpected: true,
  });
  return { tokens, steps, callback, verifier, state, nonce: expectedNonce };
}

// Builds an authorization URL with PKCE and returns it with its verifier.
export async function authorizationUrl(config, clientFx, params = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const challenge = await oidc.calculatePKCECodeChallenge(verifier);
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: clientFx.redirect_uri,
    scope: 'openid',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    ...params,
  });
  return { url, verifier, state };
}
