// Tenants: open one by id, or pick one of those with overrides (GET /api/v3/tenants, paged,
// limited to the token's tenants).

import { api } from './api.js';
import { el, table } from './dom.js';
import { showProblem } from './app.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function tenantsPage() {
  const input = el('input', { id: 'tenant-id', name: 'tenant', required: true, spellcheck: 'false', size: 40,
    placeholder: '550e8400-e29b-41d4-a716-446655440000' });
  const hint = el('p', { role: 'status' });
  const find = el('form', { class: 'inline', 'aria-label': 'Find a tenant', onsubmit: (event) => {
    event.preventDefault();
    const id = input.value.trim();
    if (!UUID.test(id)) {
      hint.textContent = 'A tenant id is a UUID such as 550e8400-e29b-41d4-a716-446655440000.';
      return;
    }
    location.hash = `#/tenant/${id.toLowerCase()}`;
  } }, el('label', { for: 'tenant-id' }, 'Tenant id', input), el('button', { type: 'submit' }, 'Open tenant'), hint);

  const body = el('tbody');
  const more = el('button', { type: 'button', hidden: true }, 'More tenants');
  let next = null;
  let closed = false;
  async function load() {
    more.disabled = true;
    try {
      const page = (await api.tenants(next)).body;
      if (closed) return;
      for (const t of page.tenants) {
        body.append(el('tr', {},
          el('td', {}, el('a', { href: `#/tenant/${t.tenantId}` }, t.tenantId)),
          el('td', {}, String(t.overrides)),
          el('td', {}, String(t.revision))));
      }
      next = page.next;
      more.hidden = !next;
    } catch (problem) {
      if (!closed) showProblem(problem, 'Tenants');
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', load);
  load();
  const list = table('Tenants with overrides', ['Tenant', 'Overrides', 'Revision'], []);
  list.querySelector('tbody').replaceWith(body);
  return {
    element: el('section', { 'aria-labelledby': 'tenants-heading' },
      el('h2', { id: 'tenants-heading' }, 'Tenants'), find,
      el('h3', {}, 'Tenants with overrides or changes'), list, more),
    leave: () => { closed = true; },
  };
}
