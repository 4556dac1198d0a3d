// Authorization parameters a relying party may send (ui_locales, max_age,
// login_hint) and the registration page's answer to data that does not
// match the register.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { rp, citizens } from '../lib/fixture.mjs';
import { newBrowser, registerAccount, codeFlow, authorizationUrl, classify, smsCount } from '../lib/flow.mjs';

describe('authorization parameters and registration mismatches', () => {
  const citizen = citizens('negative')[2];
  const browser = newBrowser();
  let a;

  before(async () => {
    a = await rp('a');
    await registerAccount(newBrowser(), citizen, citizen.password);
    await codeFlow(a.config, a.client, browser, { scope: 'openid', citizen });
  });

  it('renders the sign-in page in the language of ui_locales', async () => {
    for (const [locale, lang] of [['en', 'en'], ['vi', 'vi'], ['fr en', 'en']]) {
      const { url } = await authorizationUrl(a.config, a.client, { ui_locales: locale });
      const page = await newBrowser().go(url.toString());
      assert.equal(classify(page), 'signin', page.describe());
      assert.match(page.body, new RegExp(`<html[^>]*lang="${lang}"`), `ui_locales=${locale}`);
    }
  });

  it('prefills the citizen id from login_hint', async () => {
    const { url } = await authorizationUrl(a.config, a.client, { login_hint: citizen.id });
    const page = await newBrowser().go(url.toString());
    const form = page.findForm((i) => i.type === 'password');
    assert.equal(form.inputs.find((i) => i.name === 'citizen_id').value, citizen.id);
  });

  it('accepts the session for a max_age it satisfies', async () => {
    const { url } = await authorizationUrl(a.config, a.client, { max_age: '3600' });
    const page = await browser.go(url.toString());
    assert.ok(page.isRedirect && new URL(page.location).searchParams.get('code'), page.describe());
  });

  // OIDC Core 1.0 errata set 2, §3.1.2.1: "max_age=0 is equivalent to
  // prompt=login". The provider compares `now - auth_time > max_age`, which
  // a sign-in within the same second satisfies.
  it('asks for the password again for max_age=0', async () => {
    const { url } = await authorizationUrl(a.config, a.client, { max_age: '0' });
    const page = await browser.go(url.toString());
    assert.equal(classify(page), 'signin', page.describe());
  });

  it('answers a registration that does not match the register the same way, whichever field is wrong', async () => {
    const other = citizens('negative')[3];
    const attempts = {
      name: { ...other, full_name: 'Nguyễn Văn Không Khớp' },
      date: { ...other, date_of_birth: '1901-01-01' },
      id: { ...other, id: `${other.id.slice(0, 11)}${(Number(other.id[11]) + 1) % 10}` },
    };
    const answers = {};
    const before = smsCount();
    for (const [field, c] of Object.entries(attempts)) {
      const b = newBrowser();
      const page = await b.go('/register');
      const form = page.findForm((i) => i.name === 'citizen_id');
      const res = await b.submit(form, { citizen_id: c.id, full_name: c.full_name, date_of_birth: c.date_of_birth, phone: c.phone });
      // The error summary only: the form echoes what was typed.
      const summary = (res.body.match(/role="alert"[\s\S]*?<\/(div|section|ul)>/) ?? [res.text])[0];
      answers[field] = { status: res.status, summary };
    }
    assert.equal(smsCount(), before, 'no code is sent for a mismatch');
    assert.ok(answers.name.status >= 400, JSON.stringify(answers.name));
    assert.deepEqual(answers.date, answers.name);
    assert.deepEqual(answers.id, answers.name);
  });
});
