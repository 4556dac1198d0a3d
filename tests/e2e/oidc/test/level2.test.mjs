// Level 2: an officer upgrades the account in person (officer API) and
// enrols TOTP; the citizen then signs in with password + TOTP, computed
// here with RFC 6238; acr is level 2 and amr lists otp; a replayed TOTP code
// is refused.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { rp, citizens, verifyIdToken } from '../lib/fixture.mjs';
import { newBrowser, registerAccount, codeFlow, authorizationUrl, classify, submitSignIn, submitTotp } from '../lib/flow.mjs';
import { officerSignIn, upgradeToLevel2 } from '../lib/officer.mjs';
import { totp, totpStep } from '../lib/totp.mjs';

const ACR2 = 'urn:dancu:acr:level2';

describe('level 2 with openid-client', () => {
  const citizen = citizens('level2')[0];
  let l2;
  let usedCode;

  before(async () => {
    l2 = await rp('l2');
    await registerAccount(newBrowser(), citizen, citizen.password);
    const token = await officerSignIn();
    const { key } = await upgradeToLevel2(token, citizen);
    citizen.totpKey = key;
  });

  it('signs in with password and TOTP; acr level 2, amr pwd and otp', async () => {
    const browser = newBrowser();
    const step = totpStep();
    citizen.lastTotpStep = step - 1; // the flow uses the code of the current step
    const flow = await codeFlow(l2.config, l2.client, browser, {
      scope: 'openid profile',
      extra: { acr_values: ACR2 },
      citizen,
    });
    usedCode = totp(citizen.totpKey, citizen.lastTotpStep);
    assert.ok(flow.steps.includes('signin'), `steps ${flow.steps}`);
    assert.ok(flow.steps.includes('totp'), `steps ${flow.steps}`);
    const { payload } = await verifyIdToken(l2.config, flow.tokens.id_token, l2.client.client_id);
    assert.equal(payload.acr, ACR2);
    assert.ok(payload.amr.includes('pwd'), `amr ${payload.amr}`);
    assert.ok(payload.amr.includes('otp'), `amr ${payload.amr}`);
    const info = await oidc.fetchUserInfo(l2.config, flow.tokens.access_token, payload.sub);
    assert.equal(info.name, citizen.full_name);
  });

  it('refuses a replayed TOTP code', async () => {
    const browser = newBrowser();
    const { url } = await authorizationUrl(l2.config, l2.client, { acr_values: ACR2 });
    let page = await browser.go(url.toString());
    assert.equal(classify(page), 'signin', page.describe());
    page = await submitSignIn(browser, page, citizen);
    assert.equal(classify(page), 'totp', page.describe());
    page = await submitTotp(browser, page, citizen, usedCode);
    assert.ok(!page.isRedirect, `a replayed code must not complete the sign-in: ${page.describe()}`);
    assert.ok(page.status === 200 || page.status === 400 || page.status === 401 || page.status === 403 || page.status === 429, page.describe());
    // A fresh code (the next step) still works in the same browser.
    let next = page;
    if (classify(next) === 'signin') next = await submitSignIn(browser, next, citizen);
    assert.equal(classify(next), 'totp', next.describe());
    next = await submitTotp(browser, next, citizen);
    assert.ok(next.isRedirect, next.describe());
    assert.ok(new URL(next.location).searchParams.get('code'), next.location);
  });

  it('asks for the TOTP step at a client whose minimum level is 2, without acr_values', async () => {
    // A level-2 client (min level 2) never gets a level-1 ID token.
    const browser = newBrowser();
    const { url } = await authorizationUrl(l2.config, l2.client, {});
    let page = await browser.go(url.toString());
    page = await submitSignIn(browser, page, citizen);
    assert.equal(classify(page), 'totp', page.describe());
  });
});

describe('step-up to level 2', () => {
  const citizen = citizens('level2')[1];
  const browser = newBrowser();
  let a;
  let l2;

  before(async () => {
    a = await rp('a');
    l2 = await rp('l2');
    await registerAccount(newBrowser(), citizen, citizen.password);
  });

  it('turns a level-1 session of an account upgraded since into level 2 with the TOTP step only', async () => {
    // Signed in at level 1 (the account is still level 1).
    const first = await codeFlow(a.config, a.client, browser, { scope: 'openid', citizen });
    assert.equal((await verifyIdToken(a.config, first.tokens.id_token, a.client.client_id)).payload.acr, 'urn:dancu:acr:level1');
    // The officer upgrades the account; the browser's session stays level 1.
    citizen.totpKey = (await upgradeToLevel2(await officerSignIn(), citizen)).key;
    citizen.lastTotpStep = totpStep() - 1;
    const passwordless = { ...citizen, password: undefined };
    const flow = await codeFlow(l2.config, l2.client, browser, { scope: 'openid', extra: { acr_values: ACR2 }, citizen: passwordless });
    assert.ok(flow.steps.includes('totp'), `steps ${flow.steps}`);
    assert.ok(!flow.steps.includes('signin'), `no password again: steps ${flow.steps}`);
    const { payload } = await verifyIdToken(l2.config, flow.tokens.id_token, l2.client.client_id);
    assert.equal(payload.acr, ACR2);
    assert.ok(payload.amr.includes('otp'), `amr ${payload.amr}`);
  });
});
