// One tenant: every flag with its value and the reason for it (the tenant's override, a segment's
// rule, the rollout, the flag's default), the revision the answer is at; toggles for a token that
// may write; "Why?" per flag, the service's full explanation; the tenant's name and attributes,
// editable by a token that may write; the tenant's change stream, so that a change made anywhere
// (a value, a reason, an attribute) shows within a second; its audit log.

import { api, Problem } from './api.js';
import { el, table, when } from './dom.js';
import { session, showProblem, clearProblem } from './app.js';
import { attributesText, parseValue, parseValues, valueText } from './attributes.js';

const describe = (value) => (value === null || value === undefined ? 'default' : value ? 'on' : 'off');

/**
 * The reason for a value, from what the bulk evaluation already carries (OFREP metadata: overridden,
 * the deciding segment, rollout): no request per flag. "Why?" asks the service for the rest.
 */
function reasonOf(metadata) {
  if (metadata.overridden) return { reason: 'override' };
  if (metadata.segment) return { reason: 'segment', segment: metadata.segment };
  if (metadata.rollout) return { reason: 'rollout' };
  return { reason: 'default' };
}

const sameState = (a, b) => a.value === b.value && a.reason === b.reason && a.segment === b.segment;

export function tenantPage(tenant) {
  const me = session.me;
  const canWrite = me.permissions.includes('write') && (me.tenants === '*' || me.tenants.includes(tenant));
  const revision = el('span', {}, '…');
  const live = el('p', { class: 'status down', role: 'status', id: 'live-state' }, 'Live updates: connecting…');
  const rows = el('tbody');
  const flags = table('Flags', ['Flag', 'Value', 'Reason', 'Changes'], []);
  flags.id = 'flags';
  flags.querySelector('tbody').replaceWith(rows);
  const audit = auditSection(tenant, () => closed);
  const record = recordSection(tenant, canWrite, () => closed, () => {
    ownRecordWrite = true; // the values it moves are this operator's doing: nothing to point out
    refresh();
  });
  const why = whySection(tenant, () => closed);

  let current = new Map(); // flag -> {value, reason, segment}
  const changedAt = new Map(); // flag -> when a change made elsewhere was seen here
  const ownWrites = new Set(); // flags this page just changed: not "changed elsewhere" when read back
  let ownRecordWrite = false; // this page just changed the attributes: any flag may have moved
  let stream = null;
  let retry = null;
  let closed = false;
  let issued = 0; // reads started; an answer older than the last one shown is dropped
  let shown = 0;
  let problemShown = false; // whether the alert is a read's (a read that works clears it, not a refused write's)

  /** The one retry timer: a new schedule replaces the old, and leaving the page clears it. */
  function schedule(seconds) {
    clearTimeout(retry);
    retry = setTimeout(() => refresh(), seconds * 1000);
  }

  function row(flag, state, changed) {
    const cells = [el('th', { scope: 'row' }, flag)];
    if (canWrite) {
      cells.push(el('td', {}, el('button', {
        type: 'button', role: 'switch', 'aria-checked': String(state.value), 'aria-label': flag,
        onclick: () => flags.dispatchEvent(new CustomEvent('tf:write', { detail: { flag, enabled: !state.value } })),
      }, state.value ? 'On' : 'Off')));
    } else {
      cells.push(el('td', {}, state.value ? 'On' : 'Off'));
    }
    const source = [el('span', { class: `badge ${state.reason}` }, state.reason)];
    if (state.segment) source.push(' ', state.segment);
    if (canWrite && state.reason === 'override') {
      source.push(' ', el('button', { type: 'button', 'aria-label': `Back to default: ${flag}`,
        onclick: () => flags.dispatchEvent(new CustomEvent('tf:write', { detail: { flag, enabled: null } })) }, 'Back to default'));
    }
    source.push(' ', el('button', { type: 'button', 'aria-label': `Why? ${flag}`, onclick: () => why.show(flag) }, 'Why?'));
    cells.push(el('td', {}, source));
    cells.push(el('td', {}, changed ? el('span', { class: 'badge changed' }, `changed ${changed}`) : ''));
    return el('tr', { class: changed ? 'changed' : undefined, 'data-flag': flag }, cells);
  }

  /**
   * Reads the tenant's flags; rows whose value or source moved since the last read are marked.
   * {@code etag}: the one a change event announced, so that a node behind the proxy that has not
   * heard of the change yet reads through. Reads may overlap (events, writes, retries): only the
   * newest answer is shown.
   */
  async function refresh(etag) {
    const seq = ++issued;
    clearTimeout(retry);
    try {
      const answer = await api.flagsOf(tenant, etag);
      if (closed || seq < shown) return;
      shown = seq;
      revision.textContent = `${answer.headers.get('X-Revision')} (ETag ${answer.headers.get('ETag')})`;
      const next = new Map(answer.body.flags.map((f) => [f.key, { value: f.value, ...reasonOf(f.metadata || {}) }]));
      const first = current.size === 0;
      rows.replaceChildren(...[...next].map(([flag, state]) => {
        const before = current.get(flag);
        const moved = !first && (!before || !sameState(before, state));
        if (moved && !ownWrites.has(flag) && !ownRecordWrite) changedAt.set(flag, new Date().toLocaleTimeString());
        return row(flag, state, changedAt.get(flag));
      }));
      ownWrites.clear();
      ownRecordWrite = false;
      // An explanation on screen follows its flag: asked again when the value or its reason moved.
      const explained = why.flag();
      if (explained && current.has(explained) && next.has(explained) && !sameState(current.get(explained), next.get(explained))) {
        why.show(explained);
      }
      current = next;
      flags.removeAttribute('aria-busy');
      if (!stream) follow(answer.body.eventStreams[0].endpoint.requestUri);
      await audit.refresh(() => closed || seq < shown);
      await record.refresh(answer.headers.get('X-Revision'), () => closed || seq < shown);
      if (problemShown && !closed) {
        clearProblem();
        problemShown = false;
      }
    } catch (problem) {
      if (closed || seq < shown) return;
      flags.setAttribute('aria-busy', 'true');
      problemShown = true;
      // Whatever failed, the page keeps trying, slower for what is not a known passing trouble.
      const seconds = problem instanceof Problem && problem.retryable ? (problem.retryAfterSeconds || 2) : 10;
      showProblem(problem, problem.context || 'Flags', seconds);
      schedule(seconds);
    }
  }

  function setLive(up, text) {
    live.className = up ? 'status' : 'status down';
    live.textContent = text;
  }

  /** The tenant's server-sent events: each says "read again"; while the stream is down, the page says so. */
  function follow(uri) {
    stream = new EventSource(uri);
    stream.addEventListener('open', () => {
      setLive(true, 'Live updates: connected. Changes made anywhere show here within a second.');
      refresh();
    });
    stream.addEventListener('message', (event) => {
      let etag;
      try {
        etag = JSON.parse(event.data).etag;
      } catch {
        etag = undefined; // an event without a readable ETag: read again all the same
      }
      refresh(etag);
    });
    stream.addEventListener('error', () => {
      setLive(false, 'Live updates: disconnected. The values below may not be current; reconnecting…');
      if (stream.readyState === EventSource.CLOSED) { // refused (its ticket expired, say): a new one comes with the next read
        stream = null;
        schedule(2);
      }
    });
  }

  flags.addEventListener('tf:write', async (event) => {
    const { flag, enabled } = event.detail;
    try {
      await (enabled === null ? api.clearOverride(tenant, flag) : api.setOverride(tenant, flag, enabled));
      if (closed) return;
      ownWrites.add(flag);
      changedAt.delete(flag); // the operator's own change: nothing to point out
      refresh();
    } catch (problem) {
      if (!closed) showProblem(problem, `Changing ${flag}`);
    }
  });

  refresh();
  const element = el('section', { 'aria-labelledby': 'tenant-heading' },
    el('h2', { id: 'tenant-heading' }, `Tenant ${tenant}`),
    el('p', {}, 'Revision ', revision),
    live,
    canWrite ? null : el('p', {}, 'This token may read this tenant but not change it.'),
    flags,
    why.element,
    record.element,
    audit.element);
  return {
    element,
    leave: () => {
      closed = true;
      clearTimeout(retry);
      if (stream) stream.close();
    },
  };
}

/** The tenant's audit log, newest first, paged; filtered to one flag for its history. */
function auditSection(tenant, left) {
  const rows = el('tbody');
  const log = table('Audit log', ['When', 'Who', 'What', 'Flag', 'Before', 'After', 'Revision', 'Request id'], []);
  log.querySelector('tbody').replaceWith(rows);
  const older = el('button', { type: 'button', hidden: true }, 'Older entries');
  const filter = el('input', { id: 'audit-flag', name: 'flag', spellcheck: 'false', placeholder: 'all flags' });
  let next = null;
  let flag = '';

  async function load(append, stale = () => false) {
    const page = (await api.audit(tenant, append ? next : null, flag)).body;
    if (stale()) return;
    const entries = page.entries.map((e) => el('tr', {},
      el('td', {}, when(e.at)), el('td', {}, e.actor), el('td', {}, e.action), el('td', {}, e.flag),
      el('td', {}, describe(e.before)), el('td', {}, describe(e.after)), el('td', {}, String(e.revision)),
      el('td', {}, e.requestId || '')));
    if (append) rows.append(...entries); else rows.replaceChildren(...entries);
    next = page.next;
    older.hidden = !next;
  }
  /** Loads on the operator's request: a refusal is shown, not thrown. */
  const shown = (append) => load(append, left).catch((problem) => {
    if (!left()) showProblem(problem, 'Audit log');
  });
  older.addEventListener('click', () => shown(true));
  const form = el('form', { class: 'inline', 'aria-label': 'Flag history', onsubmit: (event) => {
    event.preventDefault();
    flag = filter.value.trim();
    shown(false);
  } }, el('label', { for: 'audit-flag' }, 'History of flag', filter), el('button', { type: 'submit' }, 'Show history'));
  return {
    element: el('section', { 'aria-labelledby': 'audit-heading' }, el('h3', { id: 'audit-heading' }, 'Audit log'), form, log, older),
    refresh: (stale) => load(false, stale).catch((problem) => {
      problem.context = 'Audit log';
      throw problem;
    }),
  };
}

/**
 * "Why?": the service's explanation of one flag's value (GET .../explain, read from the database):
 * the deciding input, the tenant's bucket for the flag, the revision and catalogue version
 * evaluated, and the audit entry that last changed the deciding input.
 */
function whySection(tenant, left) {
  const panel = el('section', { id: 'why', class: 'explanation', 'aria-labelledby': 'why-heading', 'aria-live': 'polite', hidden: true });
  let flag = null;
  let asked = 0; // the newest request; an older answer is dropped

  async function show(name) {
    flag = name;
    const seq = ++asked;
    try {
      const e = (await api.explain(tenant, name)).body;
      if (left() || seq !== asked) return;
      const facts = [['Value', e.value ? 'on' : 'off'], ['Reason', e.reason]];
      if (e.segment) facts.push(['Segment', e.segment]);
      facts.push(['Bucket', `${e.bucket} of 10,000`]);
      facts.push(['Rollout percentage', e.percentage === null || e.percentage === undefined
        ? 'none' : `${e.percentage} % (in the rollout below bucket ${Math.round(e.percentage * 100)})`]);
      facts.push(['Revision', String(e.revision)], ['Catalogue version', e.catalogueVersion || '']);
      const c = e.lastChange;
      facts.push(['Last change', c ? `${c.action} by ${c.actor}, ${when(c.at)}${c.requestId ? ` (request ${c.requestId})` : ''}`
        : 'none logged (made by hand in SQL, or none since the flag was made)']);
      panel.replaceChildren(el('h3', { id: 'why-heading' }, `Why ${name} is ${e.value ? 'on' : 'off'}`),
        el('dl', {}, facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])),
        el('p', {}, el('button', { type: 'button', onclick: () => {
          flag = null;
          panel.hidden = true;
        } }, 'Close explanation')));
      panel.hidden = false;
    } catch (problem) {
      if (!left() && seq === asked) showProblem(problem, `Why ${name}`);
    }
  }
  return { element: panel, show, flag: () => flag };
}

/** One attribute as typed: a list is [a, b], anything else one value (see attributes.js). */
function parseAttribute(text) {
  const trimmed = text.trim();
  return /^\[.*\]$/s.test(trimmed) ? parseValues(trimmed.slice(1, -1)) : parseValue(trimmed);
}

const attributeText = (value) => (Array.isArray(value) ? `[${value.map(valueText).join(', ')}]` : valueText(value));

/**
 * The tenant's record: its name and attributes, the inputs of its segments. Shown to any reader;
 * a token that may write the tenant edits them in a form (PUT replaces the record). Read with the
 * flags, again whenever the tenant's revision moved (a change of the attributes moves it), so that
 * its failures are the page's, retried with it; the form is not overwritten once edited.
 */
function recordSection(tenant, canWrite, left, written) {
  const shown = el('div', { id: 'record' });
  const state = el('p', { role: 'status', id: 'record-status' });
  const name = el('input', { id: 'tenant-name', name: 'name', maxlength: 200, size: 40 });
  const rows = el('tbody');
  const attributeTable = table('Attributes', ['Attribute', 'Value', ''], []);
  attributeTable.id = 'attributes';
  attributeTable.querySelector('tbody').replaceWith(rows);
  let attributes = []; // [{name, value (text)}]: the form's model
  let dirty = false; // edited since loaded: a change made elsewhere does not overwrite the operator's typing
  let seen = null; // the tenant's revision the flags were last read at

  function draw() {
    rows.replaceChildren(...attributes.map((attribute, i) => {
      const n = i + 1;
      const key = el('input', { 'aria-label': `Name of attribute ${n}`, spellcheck: 'false', maxlength: 64 });
      key.value = attribute.name;
      key.addEventListener('input', () => { attribute.name = key.value; });
      const value = el('input', { 'aria-label': `Value of attribute ${n}`, spellcheck: 'false', size: 40 });
      value.value = attribute.value;
      value.addEventListener('input', () => { attribute.value = value.value; });
      return el('tr', {}, el('td', {}, key), el('td', {}, value), el('td', {}, el('button', {
        type: 'button', 'aria-label': `Remove attribute ${n}`, onclick: () => {
          dirty = true;
          attributes.splice(i, 1);
          draw();
        } }, 'Remove')));
    }));
    attributeTable.hidden = attributes.length === 0;
  }

  /** Reads the record if the tenant's revision moved since; a refusal is thrown, for the page to show and retry. */
  async function refresh(revision, stale) {
    if (revision !== null && revision === seen) return;
    let body = null;
    try {
      body = (await api.tenant(tenant)).body;
    } catch (problem) {
      if (problem.status !== 404) { // 404: no record yet, so no attributes
        problem.context = 'Name and attributes';
        throw problem;
      }
    }
    if (stale()) return;
    const first = seen === null;
    seen = revision;
    const facts = body ? [['Name', body.name || ''], ['Attributes', attributesText(body.attributes) || 'none']]
      : [['Record', 'none: the tenant has no name or attributes here yet']];
    shown.replaceChildren(el('dl', {}, facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', { class: 'wrap' }, value)])));
    if (!canWrite) return;
    if (!dirty) {
      name.value = body ? body.name || '' : '';
      attributes = Object.entries(body ? body.attributes || {} : {}).map(([key, value]) => ({ name: key, value: attributeText(value) }));
      draw();
    } else if (!first) {
      state.textContent = 'The tenant changed since you started editing (above, as it is now): Save replaces its record.';
    }
  }

  async function save() {
    const body = {};
    for (const attribute of attributes) {
      if (attribute.name.trim() !== '') body[attribute.name.trim()] = parseAttribute(attribute.value);
    }
    try {
      const stored = (await api.putTenant(tenant, name.value.trim(), body)).body;
      if (left()) return;
      clearProblem();
      dirty = false;
      state.textContent = `Saved at revision ${stored.revision}.`;
      written(); // the flags, and this record, read again
    } catch (problem) {
      if (!left()) showProblem(problem, 'Saving the attributes');
    }
  }

  const form = el('form', { 'aria-label': 'Edit name and attributes', oninput: () => { dirty = true; }, onsubmit: (event) => {
    event.preventDefault();
    save();
  } },
  el('p', { class: 'inline' }, el('label', { for: 'tenant-name' }, 'Name', name)),
  attributeTable,
  el('p', {}, 'A value is text, a number, true or false, or a list of text as [a, b]; "quoted" text stays text.'),
  el('p', {}, el('button', { type: 'button', onclick: () => {
    dirty = true;
    attributes.push({ name: '', value: '' });
    draw();
  } }, 'Add attribute'), ' ', el('button', { type: 'submit' }, 'Save attributes')),
  state);

  return {
    element: el('section', { 'aria-labelledby': 'record-heading' },
      el('h3', { id: 'record-heading' }, 'Name and attributes'), shown, canWrite ? form : null),
    refresh,
  };
}
