// The sample relying party of the README tour (examples/relying-party):
// "Sign in with dancu", the code flow, and the claims shown as a table.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fx, citizens } from '../lib/fixture.mjs';
import { Browser } from '../lib/browser.mjs';
import { newBrowser, registerAccount, runAuthorization } from '../lib/flow.mjs';

const RP = fileURLToPath(new URL('../../../../examples/relying-party/rp.mjs', import.meta.url));

describe('sample relying party', () => {
  const citizen = citizens('negative')[5];
  const c = fx.clients.sample;
  const base = `http://127.0.0.1:${c.port}`;
  let child;

  before(async () => {
    await registerAccount(newBrowser(), citizen, citizen.password);
    child = spawn(process.execPath, [RP, '--issuer', fx.issuer, '--client-id', c.client_id,
      '--client-secret', c.client_secret, '--port', String(c.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => { log += d; if (log.includes('sample relying party on')) resolve(); });
      child.stderr.on('data', (d) => { log += d; });
      child.on('exit', (code) => reject(new Error(`rp.mjs exited (${code}): ${log}`)));
    });
  });

  after(() => child?.kill());

  it('signs a citizen in and shows the ID-token claims and userinfo', async () => {
    const rpBrowser = new Browser(base);
    const home = await rpBrowser.go('/');
    assert.match(home.body, /href="\/login"/);
    const login = await rpBrowser.request('/login');
    assert.ok(login.location.startsWith(`${fx.issuer}/oidc/authorize?`), login.location);
    const dancu = newBrowser();
    const { page } = await runAuthorization(dancu, login.location, { citizen });
    assert.ok(page.location.startsWith(`${base}/callback?`), page.location);
    const shown = await rpBrowser.go(page.location);
    assert.equal(shown.status, 200, shown.describe());
    assert.ok(shown.text.includes('urn:dancu:acr:level1'), shown.text);
    assert.ok(shown.text.includes(citizen.full_name), shown.text);
    assert.ok(shown.text.includes(citizen.phone), shown.text);
    // Sign out: back to the sample through dancu's end_session, signed out there too.
    const out = await rpBrowser.request('/logout');
    const back = await dancu.go(out.location);
    assert.equal(back.location, `${base}/`);
  });
});
