// Life in the register: a death registered through the register API
// disables the account (account watcher, within a second) and revokes what
// the relying parties hold.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { fx, rp, citizens } from '../lib/fixture.mjs';
import { newBrowser, registerAccount, codeFlow, authorizationUrl, classify, submitSignIn } from '../lib/flow.mjs';

// Polls `check` every 50 ms for at most `ms` (the watcher follows the change
// feed asynchronously; the issue allows one second).
async function eventually(check, ms = 3000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('death in the register', () => {
  const citizen = citizens('negative')[4];
  const browser = newBrowser();
  let a;
  let tokens;

  before(async () => {
    a = await rp('a');
    await registerAccount(newBrowser(), citizen, citizen.password);
    tokens = (await codeFlow(a.config, a.client, browser, { scope: 'openid profile offline_access', citizen })).tokens;
  });

  it('disables the account and revokes its tokens', async () => {
    const admin = process.env.DANCU_ADMIN_TOKEN;
    assert.ok(admin, 'DANCU_ADMIN_TOKEN (run.sh sets it)');
    const today = new Date().toISOString().slice(0, 10);
    const res = await fetch(new URL('/v1/events/death', fx.issuer), {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ citizen_id: citizen.id, date_of_death: today }),
    });
    assert.ok(res.status === 200 || res.status === 201, `${res.status} ${await res.text()}`);
    const userinfo = a.config.serverMetadata().userinfo_endpoint;
    const refused = await eventually(async () =>
      (await fetch(userinfo, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status === 401);
    assert.ok(refused, 'the access token is refused within 3 s of the death');
    await assert.rejects(oidc.refreshTokenGrant(a.config, tokens.refresh_token), (e) => e.error === 'invalid_grant');
    // The browser's session is gone and the password no longer signs in.
    const { url } = await authorizationUrl(a.config, a.client, { prompt: 'none' });
    const silent = await browser.go(url.toString());
    assert.ok(silent.isRedirect, silent.describe());
    assert.equal(new URL(silent.location).searchParams.get('code'), null, silent.location);
    const fresh = newBrowser();
    const signin = await fresh.go(url.toString().replace('prompt=none', 'prompt=login'));
    assert.equal(classify(signin), 'signin', signin.describe());
    const after = await submitSignIn(fresh, signin, citizen);
    assert.ok(!after.isRedirect, after.describe());
    assert.equal(after.status, 403, after.describe()); // identity.account_disabled
    assert.equal(classify(after), 'signin', 'the sign-in page again, with the reason');
  });
});
