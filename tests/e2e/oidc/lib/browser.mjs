// A tiny browser for the server-rendered pages (test code only): fetch with
// a cookie jar, manual redirects (followed only while they stay on the
// server's origin), and form submission that keeps hidden fields such as
// the CSRF token, as a browser without JavaScript would.
//
// Cookies: dancu sets every cookie `Secure`; like browsers do for
// http://127.0.0.1 (a potentially trustworthy origin), the jar still sends
// them over plain HTTP to the test server.

import { parseForms, pageText } from './html.mjs';

export class Browser {
  constructor(origin) {
    this.origin = new URL(origin).origin;
    this.cookies = new Map(); // name -> value
    this.log = [];
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  storeCookies(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let expired = value === '';
      for (const a of attrs) {
        const [k, v] = a.split('=').map((s) => s?.trim());
        if (/^max-age$/i.test(k) && Number(v) <= 0) expired = true;
        if (/^expires$/i.test(k) && Date.parse(v) < Date.now()) expired = true;
      }
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  // One request, no redirect following. Returns a Page.
  async request(url, { method = 'GET', form, headers = {} } = {}) {
    const u = new URL(url, this.origin);
    const h = { ...headers };
    if (u.origin === this.origin && this.cookies.size > 0) h.cookie = this.cookieHeader();
    let body;
    if (form !== undefined) {
      body = new URLSearchParams(form).toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(u, { method, headers: h, body, redirect: 'manual' });
    if (u.origin === this.origin) this.storeCookies(res);
    const text = await res.text();
    const page = new Page(u.toString(), res.status, res.headers, text);
    this.log.push(`${method} ${u.pathname}${u.search.length > 200 ? u.search.slice(0, 200) + '…' : u.search} -> ${res.status}${page.location ? ' ' + page.location : ''}`);
    return page;
  }

  // Follows redirects while they stay on the server's origin; returns the
  // first page that is not such a redirect (an HTML page, or a redirect to
  // another origin such as the relying party's redirect_uri).
  async go(url, opts = {}) {
    let page = await this.request(url, opts);
    for (let i = 0; i < 10 && page.isRedirect; i++) {
      const next = new URL(page.location, page.url);
      if (next.origin !== this.origin) return page;
      page = await this.request(next.toString());
    }
    return page;
  }

  // Submits `form` (from page.forms) with `values` overriding or adding
  // fields; `button` picks a named submit button ({name, value}) to send.
  // Unknown field names are refused, so a renamed field fails loudly.
  async submit(form, values = {}, { button, strict = true } = {}) {
    const known = new Set(form.inputs.map((i) => i.name));
    const data = new URLSearchParams();
    for (const f of form.fields) if (!(f.name in values)) data.append(f.name, f.value);
    for (const [k, v] of Object.entries(values)) {
      if (strict && !known.has(k)) {
        throw new Error(`form ${form.action} has no field "${k}" (fields: ${[...known].join(', ')})`);
      }
      if (v !== undefined && v !== null) data.append(k, v);
    }
    if (button && button.name) data.append(button.name, button.value);
    if (form.method === 'GET') {
      const u = new URL(form.action);
      for (const [k, v] of data) u.searchParams.append(k, v);
      return this.go(u.toString());
    }
    return this.go(form.action, { method: 'POST', form: data });
  }

  trace() {
    return this.log.slice(-15).join('\n  ');
  }
}

export class Page {
  constructor(url, status, headers, body) {
    this.url = url;
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.location = headers.get('location');
  }
  get isRedirect() {
    return this.status >= 300 && this.status < 400 && !!this.location;
  }
  get forms() {
    if (!this._forms) this._forms = parseForms(this.body, this.url);
    return this._forms;
  }
  get text() {
    return pageText(this.body);
  }
  // The first form that has an input matching `pred` (name or type test).
  findForm(pred) {
    return this.forms.find((f) => f.inputs.some(pred));
  }
  describe() {
    const forms = this.forms
      .map((f) => `  form ${f.method} ${f.action} [${f.inputs.map((i) => `${i.name}:${i.type}`).join(', ')}] buttons [${f.buttons.map((b) => `${b.name}=${b.value}`).join(', ')}]`)
      .join('\n');
    return `${this.status} ${this.url}${this.location ? ' -> ' + this.location : ''}\n${forms}\n  text: ${this.text.slice(0, 400)}`;
  }
}
