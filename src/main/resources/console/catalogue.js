// The flag catalogue: list, create, describe and delete flags (changes take an admin token scoped
// to all tenants). A delete says first how many tenants lose an override. A flag's name opens its
// page (flag.js): its targeting and who has it.

import { api } from './api.js';
import { el, table } from './dom.js';
import { session, showProblem, clearProblem } from './app.js';

export function cataloguePage() {
  const admin = session.me.permissions.includes('admin') && session.me.tenants === '*';
  const rows = el('tbody');
  const list = table('Flags', ['Flag', 'Description', 'Actions'], []);
  list.querySelector('tbody').replaceWith(rows);
  const confirm = el('dialog', { 'aria-labelledby': 'confirm-heading' });

  let closed = false;
  async function load() {
    try {
      const flags = (await api.catalogue()).body.flags;
      if (closed) return;
      rows.replaceChildren(...flags.map((flag) => el('tr', {},
        el('th', { scope: 'row' }, el('a', { href: `#/flag/${flag.name}` }, flag.name)),
        el('td', { class: 'wrap' }, flag.description || ''),
        el('td', {}, admin ? [
          el('button', { type: 'button', 'aria-label': `Edit description: ${flag.name}`, onclick: () => edit(flag) }, 'Edit description'),
          ' ',
          el('button', { type: 'button', 'aria-label': `Delete flag: ${flag.name}`, onclick: () => askDelete(flag) }, 'Delete'),
        ] : ''))));
    } catch (problem) {
      if (!closed) showProblem(problem, 'Catalogue');
    }
  }

  /**
   * Opens the dialog with {@code content} and two buttons: {@code confirmLabel} runs
   * {@code action}, then reloads the list; Cancel (or Escape) closes it and changes nothing.
   */
  function ask(heading, content, confirmLabel, action, context) {
    confirm.replaceChildren(el('form', { method: 'dialog', onsubmit: async (event) => {
      if (event.submitter && event.submitter.value !== 'confirm') return;
      event.preventDefault();
      try {
        await action();
        clearProblem();
        load();
      } catch (problem) {
        showProblem(problem, context);
      } finally {
        confirm.close();
      }
    } },
    el('h2', { id: 'confirm-heading' }, heading), content,
    el('p', {}, el('button', { value: 'confirm' }, confirmLabel), ' ', el('button', { value: 'cancel' }, 'Cancel'))));
    confirm.showModal();
  }

  function edit(flag) {
    const text = el('textarea', { id: 'edit-description', rows: 4, cols: 50 });
    text.value = flag.description || '';
    ask(`Description of ${flag.name}`, [el('label', { for: 'edit-description' }, 'Description'), text], 'Save description',
      () => api.describeFlag(flag.name, text.value), `Describing ${flag.name}`);
  }

  /** Asks before a delete, with what it removes as the service counts it now. */
  async function askDelete(listed) {
    let flag;
    try {
      flag = (await api.flag(listed.name)).body;
    } catch (problem) {
      showProblem(problem, `Deleting ${listed.name}`);
      return;
    }
    // The count is told to tokens on all tenants only (the only ones that may delete).
    const consequence = flag.overrides === undefined ? ''
      : flag.overrides === 0 ? 'No tenant has an override of it.'
      : `${flag.overrides} tenant(s) have an override of it: deleting the flag removes their overrides too, and each gets an audit entry.`;
    ask(`Delete flag ${flag.name}?`, el('p', {}, `Every tenant loses the flag ${flag.name} from its map. ${consequence}`),
      'Delete flag', () => api.deleteFlag(flag.name), `Deleting ${flag.name}`);
  }

  const name = el('input', { id: 'new-flag-name', name: 'name', required: true, pattern: '[a-z][a-z0-9_.\\-]{0,99}', spellcheck: 'false' });
  const description = el('input', { id: 'new-flag-description', name: 'description', size: 50 });
  const create = el('form', { class: 'inline', 'aria-label': 'New flag', onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api.createFlag(name.value.trim(), description.value);
      name.value = '';
      description.value = '';
      clearProblem();
      load();
    } catch (problem) {
      showProblem(problem, 'Creating a flag');
    }
  } },
  el('label', { for: 'new-flag-name' }, 'Name', name),
  el('label', { for: 'new-flag-description' }, 'Description', description),
  el('button', { type: 'submit' }, 'Create flag'));

  load();
  return {
    element: el('section', { 'aria-labelledby': 'catalogue-heading' },
      el('h2', { id: 'catalogue-heading' }, 'Catalogue'),
      admin ? create : el('p', {}, 'Changing the catalogue takes an admin token scoped to all tenants.'),
      list, confirm),
    leave: () => { closed = true; },
  };
}
