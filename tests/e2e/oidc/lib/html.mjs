// Minimal HTML form reading for server-rendered pages (test code only).
// The dancu pages are our own, well-formed and without JavaScript, so a
// small tokenizer is enough: forms, their action/method, inputs, selects,
// textareas and named submit buttons.

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(cp);
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

export function parseAttributes(tag) {
  const attrs = {};
  const body = tag.replace(/^<\s*[a-z0-9]+/i, '').replace(/\/?>$/, '');
  const re = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  let m;
  while ((m = re.exec(body)) !== null) {
    const v = m[2] ?? m[3] ?? m[4];
    attrs[m[1].toLowerCase()] = v === undefined ? '' : decodeEntities(v);
  }
  return attrs;
}

// Returns [{action, method, attrs, fields: [{name, value, type}], buttons: [{name, value, text}]}].
// `fields` holds what a browser would submit without any user input:
// hidden and text inputs with their value, checked checkboxes/radios,
// selected options and textareas. Buttons are listed separately.
export function parseForms(html, baseUrl) {
  const forms = [];
  const formRe = /<form\b[^>]*>([\s\S]*?)<\/form\s*>/gi;
  let fm;
  while ((fm = formRe.exec(html)) !== null) {
    const openTag = fm[0].match(/^<form\b[^>]*>/i)[0];
    const attrs = parseAttributes(openTag);
    const inner = fm[1];
    const form = {
      attrs,
      action: new URL(attrs.action ?? '', baseUrl).toString(),
      method: (attrs.method ?? 'get').toUpperCase(),
      fields: [],
      inputs: [],
      buttons: [],
    };
    const tagRe = /<(input|button|select|textarea)\b[^>]*>/gi;
    let tm;
    while ((tm = tagRe.exec(inner)) !== null) {
      const kind = tm[1].toLowerCase();
      const a = parseAttributes(tm[0]);
      if (kind === 'input') {
        const type = (a.type ?? 'text').toLowerCase();
        if (!a.name) continue;
        form.inputs.push({ name: a.name, type, value: a.value ?? '' });
        if (type === 'submit' || type === 'image') {
          form.buttons.push({ name: a.name, value: a.value ?? '', text: a.value ?? '' });
        } else if (type === 'checkbox' || type === 'radio') {
          if ('checked' in a) form.fields.push({ name: a.name, value: a.value ?? 'on', type });
        } else {
          form.fields.push({ name: a.name, value: a.value ?? '', type });
        }
      } else if (kind === 'button') {
        const end = inner.indexOf('</button>', tm.index);
        const text = end > 0 ? inner.slice(tm.index + tm[0].length, end).replace(/<[^>]*>/g, '').trim() : '';
        const type = (a.type ?? 'submit').toLowerCase();
        if (type === 'submit') form.buttons.push({ name: a.name ?? '', value: a.value ?? '', text: decodeEntities(text) });
      } else if (kind === 'select') {
        const end = inner.indexOf('</select>', tm.index);
        const body = inner.slice(tm.index, end > 0 ? end : undefined);
        const options = [...body.matchAll(/<option\b[^>]*>([^<]*)/gi)].map((o) => {
          const oa = parseAttributes(o[0].match(/^<option\b[^>]*>/i)[0]);
          return { value: oa.value ?? decodeEntities(o[1]).trim(), selected: 'selected' in oa };
        });
        const chosen = options.find((o) => o.selected) ?? options[0];
        if (a.name) {
          form.inputs.push({ name: a.name, type: 'select', value: chosen?.value ?? '' });
          if (chosen) form.fields.push({ name: a.name, value: chosen.value, type: 'select' });
        }
      } else if (kind === 'textarea') {
        const end = inner.indexOf('</textarea>', tm.index);
        const value = decodeEntities(inner.slice(tm.index + tm[0].length, end));
        if (a.name) {
          form.inputs.push({ name: a.name, type: 'textarea', value });
          form.fields.push({ name: a.name, value, type: 'textarea' });
        }
      }
    }
    forms.push(form);
  }
  return forms;
}

// The visible text of a page (for error messages and assertions).
export function pageText(html) {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
  ).replace(/\s+/g, ' ').trim();
}
