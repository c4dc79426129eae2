// Segments, the named sets of tenants flags' rules use: the list (#/segments) and one segment's
// editor (#/segment/<name>): description, match all/any, conditions on attributes, listed tenants.
// Reading one takes a token scoped to all tenants (a segment lists tenants), changing one an admin
// token. A delete while a rule uses the segment is refused by the service, which names the flags.

import { api } from './api.js';
import { el, table, confirmed } from './dom.js';
import { session, showProblem, clearProblem } from './app.js';
import { parseValues, valuesText } from './attributes.js';

const OPS = ['in', 'not_in', 'lt', 'lte', 'gt', 'gte', 'exists', 'not_exists'];
/** Operators that take no values: their values field is disabled. */
const NO_VALUES = new Set(['exists', 'not_exists']);

const isAdmin = (me) => me.permissions.includes('admin') && me.tenants === '*';

/** Asks, deletes, and shows the refusal if any (409 segment-in-use names the flags); answers whether it was deleted. */
async function deleteSegment(dialog, name) {
  const sure = await confirmed(dialog, `Delete segment ${name}?`,
    el('p', {}, `The segment ${name} goes; the service refuses while a flag's rule uses it.`), 'Delete segment');
  if (!sure) return false;
  try {
    await api.deleteSegment(name);
    clearProblem();
    return true;
  } catch (problem) {
    showProblem(problem, `Deleting ${name}`);
    return false;
  }
}

export function segmentsPage() {
  const me = session.me;
  const admin = isAdmin(me);
  const rows = el('tbody');
  const list = table('Segments', ['Segment', 'Description', 'Match', 'Conditions', 'Listed tenants', 'Actions'], []);
  list.querySelector('tbody').replaceWith(rows);
  const dialog = el('dialog', { id: 'segment-confirm' });
  let closed = false;

  async function load() {
    try {
      const segments = (await api.segments()).body.segments;
      if (closed) return;
      rows.replaceChildren(...segments.map((s) => el('tr', {},
        el('th', { scope: 'row' }, el('a', { href: `#/segment/${s.name}` }, s.name)),
        el('td', { class: 'wrap' }, s.description || ''), el('td', {}, s.match), el('td', {}, String(s.conditions)),
        el('td', {}, String(s.tenants)),
        el('td', {}, admin ? el('button', { type: 'button', 'aria-label': `Delete segment: ${s.name}`, onclick: async () => {
          if (await deleteSegment(dialog, s.name) && !closed) load();
        } }, 'Delete') : ''))));
    } catch (problem) {
      if (!closed) showProblem(problem, 'Segments');
    }
  }

  const name = el('input', { id: 'new-segment-name', name: 'name', required: true, pattern: '[a-z][a-z0-9_.\\-]{0,99}', spellcheck: 'false' });
  const create = el('form', { class: 'inline', 'aria-label': 'New segment', onsubmit: (event) => {
    event.preventDefault();
    location.hash = `#/segment/${name.value.trim()}`;
  } }, el('label', { for: 'new-segment-name' }, 'Name', name), el('button', { type: 'submit' }, 'New segment'));

  if (me.tenants === '*') load();
  return {
    element: el('section', { 'aria-labelledby': 'segments-heading' },
      el('h2', { id: 'segments-heading' }, 'Segments'),
      el('p', {}, 'A tenant is in a segment if it is listed, or if its attributes meet all (or any) of the segment\'s conditions.'),
      admin ? create : el('p', {}, 'Changing segments takes an admin token scoped to all tenants.'),
      me.tenants === '*' ? list : el('p', {}, 'Reading segments takes a token scoped to all tenants: a segment lists tenants.'),
      dialog),
    leave: () => { closed = true; },
  };
}

/** One segment's editor; a name without a segment yet opens an empty one, which Save creates. */
export function segmentPage(name) {
  const admin = isAdmin(session.me);
  let closed = false;
  let conditions = []; // [{attribute, op, values (text)}]: the form's model, drawn again on every change
  let exists = false;

  const description = el('textarea', { id: 'segment-description', rows: 2, cols: 60, maxlength: 1000 });
  const match = el('select', { id: 'segment-match' },
    el('option', { value: 'all' }, 'all conditions'), el('option', { value: 'any' }, 'any condition'));
  const tenants = el('textarea', { id: 'segment-tenants', rows: 4, cols: 40, spellcheck: 'false' });
  const usedBy = el('p', { id: 'segment-used-by' });
  const state = el('p', { role: 'status', id: 'segment-status' });
  const rows = el('tbody');
  const conditionTable = table('Conditions', ['Attribute', 'Operator', 'Values', ''], []);
  conditionTable.id = 'conditions';
  conditionTable.querySelector('tbody').replaceWith(rows);
  const dialog = el('dialog', { id: 'segment-confirm' });

  function drawConditions() {
    rows.replaceChildren(...conditions.map((condition, i) => {
      const n = i + 1;
      const attribute = el('input', { 'aria-label': `Attribute of condition ${n}`, spellcheck: 'false', maxlength: 64, disabled: !admin });
      attribute.value = condition.attribute;
      attribute.addEventListener('input', () => { condition.attribute = attribute.value; });
      const values = el('input', { 'aria-label': `Values of condition ${n}`, spellcheck: 'false', size: 30,
        disabled: !admin || NO_VALUES.has(condition.op) });
      values.value = condition.values;
      values.addEventListener('input', () => { condition.values = values.value; });
      const op = el('select', { 'aria-label': `Operator of condition ${n}`, disabled: !admin }, OPS.map((o) => el('option', { value: o }, o)));
      op.value = condition.op;
      op.addEventListener('change', () => {
        condition.op = op.value;
        values.disabled = NO_VALUES.has(op.value);
      });
      return el('tr', {}, el('td', {}, attribute), el('td', {}, op), el('td', {}, values),
        el('td', {}, admin ? el('button', { type: 'button', 'aria-label': `Remove condition ${n}`, onclick: () => {
          conditions.splice(i, 1);
          drawConditions();
        } }, 'Remove') : ''));
    }));
    conditionTable.hidden = conditions.length === 0;
  }

  /** The form as the service's segment; values typed as text keep their kind (see attributes.js). */
  function segment() {
    return {
      description: description.value,
      match: match.value,
      conditions: conditions.map((c) => (NO_VALUES.has(c.op)
        ? { attribute: c.attribute.trim(), op: c.op }
        : { attribute: c.attribute.trim(), op: c.op, values: parseValues(c.values) })),
      tenants: tenants.value.split(/[\s,]+/).filter((id) => id !== '').map((id) => id.toLowerCase()),
    };
  }

  async function load() {
    try {
      const s = (await api.segment(name)).body;
      if (closed) return;
      exists = true;
      description.value = s.description || '';
      match.value = s.match || 'all';
      conditions = (s.conditions || []).map((c) => ({ attribute: c.attribute, op: c.op, values: valuesText(c.values) }));
      tenants.value = (s.tenants || []).join('\n');
      usedBy.textContent = s.flags && s.flags.length ? `Used by the rules of: ${s.flags.join(', ')}.` : 'No flag\'s rule uses it.';
      deleteButton.hidden = !admin;
    } catch (problem) {
      if (closed) return;
      if (problem.status === 404) {
        state.textContent = admin ? 'A new segment: Save creates it.' : 'No such segment.';
      } else {
        showProblem(problem, `Segment ${name}`);
      }
    }
    drawConditions();
  }

  async function save() {
    try {
      await api.putSegment(name, segment());
      if (closed) return;
      clearProblem();
      state.textContent = exists ? 'Saved.' : 'Created.';
      load();
    } catch (problem) {
      if (!closed) showProblem(problem, `Saving segment ${name}`);
    }
  }

  const deleteButton = el('button', { type: 'button', hidden: true, onclick: async () => {
    if (await deleteSegment(dialog, name) && !closed) location.hash = '#/segments';
  } }, 'Delete segment');
  for (const field of [description, match, tenants]) field.disabled = !admin;
  const form = el('form', { 'aria-label': `Segment ${name}`, onsubmit: (event) => {
    event.preventDefault();
    save();
  } },
  el('p', { class: 'inline' },
    el('label', { for: 'segment-description' }, 'Description', description),
    el('label', { for: 'segment-match' }, 'A tenant matches if its attributes meet', match)),
  el('h3', {}, 'Conditions'),
  el('p', {}, 'Values separated by commas: true, false and numbers are read as such, "quoted" text as text; lt, lte, gt and gte take one number.'),
  conditionTable,
  admin ? el('p', {}, el('button', { type: 'button', onclick: () => {
    conditions.push({ attribute: '', op: 'in', values: '' });
    drawConditions();
  } }, 'Add condition')) : null,
  el('h3', {}, 'Listed tenants'),
  el('p', { class: 'inline' }, el('label', { for: 'segment-tenants' }, 'Tenant ids, one a line (in the segment whatever their attributes)', tenants)),
  admin ? el('p', {}, el('button', { type: 'submit' }, 'Save segment'), ' ', deleteButton)
    : el('p', {}, 'Changing segments takes an admin token scoped to all tenants.'),
  state);

  load();
  return {
    element: el('section', { 'aria-labelledby': 'segment-heading' },
      el('h2', { id: 'segment-heading' }, `Segment ${name}`), usedBy, form, dialog),
    leave: () => { closed = true; },
  };
}
