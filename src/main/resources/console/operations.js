// Operations (admin tokens scoped to all tenants): readiness, what /diagnostics/db says of the
// pool, the connections and the breaker, and the SQL trace switch.

import { api } from './api.js';
import { el } from './dom.js';
import { showProblem, clearProblem } from './app.js';

function facts(object) {
  return el('dl', {}, Object.entries(object).flatMap(([key, value]) => [
    el('dt', {}, key),
    el('dd', {}, value !== null && typeof value === 'object' ? facts(value) : String(value)),
  ]));
}

export function operationsPage() {
  const ready = el('div');
  const diagnostics = el('div');
  const trace = el('button', { type: 'button', role: 'switch', 'aria-checked': 'false', 'aria-label': 'SQL trace' }, 'Off');
  let timer = null;
  let closed = false;
  const show = (on) => {
    trace.setAttribute('aria-checked', String(on));
    trace.textContent = on ? 'On' : 'Off';
  };

  async function load() {
    try {
      const readiness = await api.readiness();
      if (closed) return;
      ready.replaceChildren(el('p', { class: readiness.status === 200 ? 'status' : 'status down', role: 'status' },
        `Readiness: ${readiness.body.status}`), facts(readiness.body.checks || {}));
      const db = (await api.diagnostics()).body;
      if (closed) return;
      diagnostics.replaceChildren(facts(db));
      show(db.sqlTrace === true);
      clearProblem();
    } catch (problem) {
      if (!closed) showProblem(problem, 'Operations', 5);
    }
  }
  trace.addEventListener('click', async () => {
    try {
      show((await api.sqlTrace(trace.getAttribute('aria-checked') !== 'true')).body.enabled === true);
    } catch (problem) {
      showProblem(problem, 'SQL trace');
    }
  });
  load();
  timer = setInterval(load, 5000);
  return {
    element: el('section', { 'aria-labelledby': 'operations-heading' },
      el('h2', { id: 'operations-heading' }, 'Operations'),
      el('h3', {}, 'Readiness'), ready,
      el('h3', {}, 'SQL trace'), el('p', {}, 'Logs every statement of every node of the cluster (parameters only if db.traceSqlParameters). '), trace,
      el('h3', {}, 'Database'), diagnostics),
    leave: () => {
      closed = true;
      clearInterval(timer);
    },
  };
}
