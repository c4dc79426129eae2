// One tenant: every flag with its value, whether it is the catalogue's default or the tenant's
// override, the revision the answer is at; toggles for a token that may write; the tenant's
// change stream, so that a change made anywhere shows within a second; its audit log.

import { api, Problem } from './api.js';
import { el, table, when } from './dom.js';
import { session, showProblem, clearProblem } from './app.js';

const describe = (value) => (value === null || value === undefined ? 'default' : value ? 'on' : 'off');

export function tenantPage(tenant) {
  const me = session.me;
  const canWrite = me.permissions.includes('write') && (me.tenants === '*' || me.tenants.includes(tenant));
  const revision = el('span', {}, '…');
  const live = el('p', { class: 'status down', role: 'status', id: 'live-state' }, 'Live updates: connecting…');
  const rows = el('tbody');
  const flags = table('Flags', ['Flag', 'Value', 'Source', 'Changes'], []);
  flags.id = 'flags';
  flags.querySelector('tbody').replaceWith(rows);
  const audit = auditSection(tenant, () => closed);

  let current = new Map(); // flag -> {value, overridden}
  const changedAt = new Map(); // flag -> when a change made elsewhere was seen here
  const ownWrites = new Set(); // flags this page just changed: not "changed elsewhere" when read back
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
    const source = [el('span', { class: state.overridden ? 'badge override' : 'badge' }, state.overridden ? 'override' : 'default')];
    if (canWrite && state.overridden) {
      source.push(' ', el('button', { type: 'button', 'aria-label': `Back to default: ${flag}`,
        onclick: () => flags.dispatchEvent(new CustomEvent('tf:write', { detail: { flag, enabled: null } })) }, 'Back to default'));
    }
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
      const next = new Map(answer.body.flags.map((f) => [f.key, { value: f.value, overridden: f.metadata.overridden }]));
      const first = current.size === 0;
      rows.replaceChildren(...[...next].map(([flag, state]) => {
        const before = current.get(flag);
        const moved = !first && (!before || before.value !== state.value || before.overridden !== state.overridden);
        if (moved && !ownWrites.has(flag)) changedAt.set(flag, new Date().toLocaleTimeString());
        return row(flag, state, changedAt.get(flag));
      }));
      ownWrites.clear();
      current = next;
      flags.removeAttribute('aria-busy');
      if (!stream) follow(answer.body.eventStreams[0].endpoint.requestUri);
      await audit.refresh(() => closed || seq < shown);
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
