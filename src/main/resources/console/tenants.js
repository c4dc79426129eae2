// Tenants: open one by id, or find one among those the service knows of (a record, or overrides
// ever changed: GET /api/v3/tenants, paged, limited to the token's tenants) by the start of its
// name and an attribute's value.

import { api } from './api.js';
import { el, table } from './dom.js';
import { showProblem, clearProblem } from './app.js';
import { attributesText } from './attributes.js';

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
  const found = el('p', { role: 'status', id: 'tenant-search-state' });
  const prefix = el('input', { id: 'tenant-prefix', name: 'prefix', spellcheck: 'false', maxlength: 200, placeholder: 'acme' });
  const attribute = el('input', { id: 'tenant-attribute', name: 'attribute', spellcheck: 'false', placeholder: 'plan:enterprise' });
  let next = null;
  let closed = false;
  let search = { prefix: '', attribute: '' };
  let issued = 0; // searches started; an answer to an older one is dropped

  async function load(append) {
    const seq = append ? issued : ++issued;
    more.disabled = true;
    try {
      const page = (await api.tenants(append ? next : null, search.prefix, search.attribute)).body;
      if (closed || seq !== issued) return;
      const rows = page.tenants.map((t) => el('tr', {},
        el('td', {}, el('a', { href: `#/tenant/${t.tenantId}` }, t.tenantId)),
        el('td', {}, t.name || ''),
        el('td', { class: 'wrap' }, attributesText(t.attributes)),
        el('td', {}, String(t.overrides)),
        el('td', {}, String(t.revision))));
      if (append) body.append(...rows); else body.replaceChildren(...rows);
      const narrowed = search.prefix || search.attribute;
      found.textContent = body.childElementCount === 0 ? (narrowed ? 'No tenant matches.' : 'The service knows of no tenant yet.')
        : `${body.childElementCount}${page.next ? '+' : ''} tenant(s)${narrowed ? ' match' : ''}.`;
      next = page.next;
      more.hidden = !next;
    } catch (problem) {
      if (!closed) showProblem(problem, 'Tenants');
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => load(true));
  /** An attribute is searched for as <name>:<value>; said here rather than refused by the service. */
  const searchForm = el('form', { class: 'inline', 'aria-label': 'Search tenants', onsubmit: (event) => {
    event.preventDefault();
    const wanted = { prefix: prefix.value.trim(), attribute: attribute.value.trim() };
    if (wanted.attribute && wanted.attribute.indexOf(':') < 1) {
      found.textContent = 'An attribute is searched for as name:value, such as plan:enterprise or seats:120.';
      return;
    }
    search = wanted;
    clearProblem();
    load(false);
  } },
  el('label', { for: 'tenant-prefix' }, 'Name starts with', prefix),
  el('label', { for: 'tenant-attribute' }, 'Attribute (name:value)', attribute),
  el('button', { type: 'submit' }, 'Search'));
  load(false);
  const list = table('Known tenants', ['Tenant', 'Name', 'Attributes', 'Overrides', 'Revision'], []);
  list.id = 'known-tenants';
  list.querySelector('tbody').replaceWith(body);
  return {
    element: el('section', { 'aria-labelledby': 'tenants-heading' },
      el('h2', { id: 'tenants-heading' }, 'Tenants'), find,
      el('h3', {}, 'Known tenants'),
      el('p', {}, 'Those with a record (name, attributes) or overrides ever changed.'),
      searchForm, found, list, more),
    leave: () => { closed = true; },
  };
}
