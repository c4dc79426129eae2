// One flag: its targeting (default, rules in order, rollout and salt) in a form; "Preview" runs the
// change as a dry run (nothing written) and says how many known tenants it moves each way; "Save"
// states that number again, freshly counted, and asks before the PUT. Below, who has the flag now:
// the known tenants counted by value and reason, and a page of them.

import { api } from './api.js';
import { el, table, confirmed } from './dom.js';
import { session, showProblem, clearProblem } from './app.js';

const onOff = (value) => (value ? 'on' : 'off');
const REASONS = ['override', 'segment', 'rollout', 'default'];
/** How many of the moved tenants a preview lists (the service answers up to 500). */
const LISTED = 10;

/** "This moves 3 tenants: 3 on, 0 off" — the sentence the preview shows and the confirmation repeats. */
export function movesText(preview) {
  return `This moves ${preview.changes} tenant${preview.changes === 1 ? '' : 's'}: ${preview.toTrue} on, ${preview.toFalse} off`;
}

function select(id, options, value) {
  const node = el('select', { id }, options.map(([v, label]) => el('option', { value: v }, label)));
  node.value = value;
  return node;
}

export function flagPage(name) {
  const me = session.me;
  const admin = me.permissions.includes('admin') && me.tenants === '*';
  const allTenants = me.tenants === '*';
  let closed = false;
  let rules = []; // [{segment, value}], in order: the form's model, drawn again on every change
  let segmentNames = [];

  const description = el('p', { class: 'wrap' });
  const overrides = el('p', {});
  const defaultValue = select('targeting-default', [['false', 'off'], ['true', 'on']], 'false');
  const percentage = el('input', { id: 'rollout-percentage', type: 'number', min: 0, max: 100, step: 0.01, size: 8 });
  const salt = el('input', { id: 'targeting-salt', spellcheck: 'false', maxlength: 100, placeholder: name });
  const ruleRows = el('tbody');
  const ruleTable = table('Rules, in order', ['Order', 'Segment', 'Value', ''], []);
  ruleTable.id = 'rules';
  ruleTable.querySelector('tbody').replaceWith(ruleRows);
  const preview = el('section', { id: 'preview', 'aria-labelledby': 'preview-heading', hidden: true });
  const dialog = el('dialog', { id: 'targeting-confirm' });
  const status = el('p', { role: 'status', id: 'targeting-status' });
  // A new rule names the first segment; its select changes it.
  const addRule = el('button', { type: 'button', onclick: () => {
    rules.push({ segment: segmentNames[0], value: true });
    drawRules();
  } }, 'Add rule');

  /** The form as the service's targeting: a rollout only with a percentage, a salt only if one is typed. */
  function targeting() {
    const body = { default: defaultValue.value === 'true', rules: rules.map((r) => ({ segment: r.segment, value: r.value })) };
    if (percentage.value.trim() !== '') body.rollout = { percentage: Number(percentage.value) };
    if (salt.value.trim() !== '') body.salt = salt.value.trim();
    return body;
  }

  /** A preview on screen is of the form as it was: any change of the form takes it away. */
  const formChanged = () => { preview.hidden = true; };

  function drawRules() {
    formChanged();
    const options = [...new Set([...segmentNames, ...rules.map((r) => r.segment)])].sort();
    ruleRows.replaceChildren(...rules.map((rule, i) => {
      const n = i + 1;
      const segment = select(`rule-${n}-segment`, options.map((s) => [s, s]), rule.segment);
      segment.setAttribute('aria-label', `Segment of rule ${n}`);
      segment.disabled = !admin;
      segment.addEventListener('change', () => { rule.segment = segment.value; });
      const value = select(`rule-${n}-value`, [['true', 'on'], ['false', 'off']], String(rule.value));
      value.setAttribute('aria-label', `Value of rule ${n}`);
      value.disabled = !admin;
      value.addEventListener('change', () => { rule.value = value.value === 'true'; });
      const move = (to) => {
        rules.splice(to, 0, ...rules.splice(i, 1));
        drawRules();
      };
      return el('tr', {}, el('td', {}, String(n)), el('td', {}, segment), el('td', {}, value),
        el('td', {}, admin ? [
          el('button', { type: 'button', 'aria-label': `Move rule ${n} up`, disabled: i === 0, onclick: () => move(i - 1) }, 'Up'), ' ',
          el('button', { type: 'button', 'aria-label': `Move rule ${n} down`, disabled: i === rules.length - 1, onclick: () => move(i + 1) }, 'Down'), ' ',
          el('button', { type: 'button', 'aria-label': `Remove rule ${n}`, onclick: () => { rules.splice(i, 1); drawRules(); } }, 'Remove'),
        ] : ''));
    }));
    ruleTable.hidden = rules.length === 0;
    addRule.disabled = segmentNames.length === 0;
  }

  /** The dry run of the form's targeting, shown; answers it, or null after showing the refusal. */
  async function dryRun(context) {
    try {
      const moves = (await api.setTargeting(name, targeting(), true)).body;
      if (closed) return null;
      clearProblem();
      showPreview(moves);
      return moves;
    } catch (problem) {
      if (!closed) showProblem(problem, context);
      return null;
    }
  }

  function showPreview(moves) {
    const listed = moves.tenants.slice(0, LISTED).map((t) => el('tr', {},
      el('td', {}, el('a', { href: `#/tenant/${t.tenantId}` }, t.tenantId)), el('td', {}, t.name || ''),
      el('td', {}, `${onOff(t.before)} → ${onOff(t.after)}`)));
    preview.replaceChildren(el('h3', { id: 'preview-heading' }, 'Preview'),
      el('p', { role: 'status', id: 'preview-moves' }, `${movesText(moves)} (of ${moves.known} known tenants).`),
      listed.length ? table('Tenants it moves', ['Tenant', 'Name', 'Change'], listed) : null,
      moves.changes > listed.length ? el('p', {}, `and ${moves.changes - listed.length} more.`) : null);
    preview.hidden = false;
  }

  /** Counted again right before asking, so the number stated is the one the change will have. */
  async function save() {
    const moves = await dryRun(`Saving the targeting of ${name}`);
    if (!moves) return;
    const sure = await confirmed(dialog, `Save the targeting of ${name}?`,
      el('p', {}, `${movesText(moves)}. Tenants with an override keep it.`), 'Save targeting');
    if (!sure || closed) return;
    try {
      await api.setTargeting(name, targeting(), false);
      if (closed) return;
      clearProblem();
      preview.hidden = true;
      status.textContent = `Saved: ${movesText(moves).replace('This moves', 'moved')}.`;
      load();
    } catch (problem) {
      if (!closed) showProblem(problem, `Saving the targeting of ${name}`);
    }
  }

  for (const field of [defaultValue, percentage, salt]) field.disabled = !admin;
  const form = el('form', { 'aria-label': 'Targeting', oninput: formChanged, onchange: formChanged, onsubmit: (event) => {
    event.preventDefault();
    save();
  } },
  el('p', { class: 'inline' }, el('label', { for: 'targeting-default' }, 'Default', defaultValue)),
  el('h3', {}, 'Rules'),
  el('p', {}, 'In order: the first rule whose segment holds a tenant gives its value. A tenant\'s override comes first.'),
  ruleTable, admin ? el('p', {}, addRule) : null,
  el('h3', {}, 'Rollout'),
  el('p', { class: 'inline' },
    el('label', { for: 'rollout-percentage' }, 'Rollout percentage (empty: none)', percentage),
    el('label', { for: 'targeting-salt' }, 'Salt (empty: the flag\'s name)', salt)),
  admin ? el('p', {}, el('button', { type: 'button', onclick: () => dryRun('Preview') }, 'Preview'), ' ',
    el('button', { type: 'submit' }, 'Save')) : el('p', {}, 'Changing a flag\'s targeting takes an admin token scoped to all tenants.'),
  status);

  const population = populationSection(name, () => closed);

  async function load() {
    try {
      const [flag, segments] = await Promise.all([api.flag(name), admin ? api.segments() : Promise.resolve(null)]);
      if (closed) return;
      const t = flag.body.targeting || {};
      description.textContent = flag.body.description || '';
      // Told to tokens on all tenants only: the count is over every tenant.
      overrides.textContent = typeof flag.body.overrides === 'number' ? `${flag.body.overrides} tenant(s) override it.` : '';
      defaultValue.value = String(t.default === true);
      rules = (t.rules || []).map((r) => ({ segment: r.segment, value: r.value }));
      percentage.value = t.rollout ? String(t.rollout.percentage) : '';
      salt.value = t.salt || '';
      if (segments) segmentNames = segments.body.segments.map((s) => s.name);
      drawRules();
      if (allTenants) await population.load();
    } catch (problem) {
      if (!closed) showProblem(problem, `Flag ${name}`);
    }
  }

  load();
  return {
    element: el('section', { 'aria-labelledby': 'flag-heading' },
      el('h2', { id: 'flag-heading' }, `Flag ${name}`), description, overrides,
      el('h3', {}, 'Targeting'), form, preview, dialog,
      allTenants ? population.element : el('p', {}, 'Who has the flag takes a token scoped to all tenants.')),
    leave: () => { closed = true; },
  };
}

/** Who has the flag: every known tenant counted by value and reason, and a page of them. */
function populationSection(name, left) {
  const counts = el('tbody');
  const countTable = table('Tenants by value and reason', ['Value', ...REASONS, 'total'], []);
  countTable.id = 'population-counts';
  countTable.querySelector('tbody').replaceWith(counts);
  const known = el('p', {});
  const rows = el('tbody');
  const list = table('Tenants and their value', ['Tenant', 'Name', 'Value', 'Reason'], []);
  list.querySelector('tbody').replaceWith(rows);
  const more = el('button', { type: 'button', hidden: true }, 'More tenants');
  let next = null;

  async function page(append) {
    const answer = (await api.population(name, append ? next : null)).body;
    if (left()) return;
    known.textContent = `${answer.known} known tenant(s), evaluated from one snapshot.`;
    counts.replaceChildren(...[true, false].map((value) => {
      const byReason = answer.counts[String(value)] || {};
      const total = REASONS.reduce((sum, r) => sum + (byReason[r] || 0), 0);
      return el('tr', {}, el('th', { scope: 'row' }, onOff(value)), REASONS.map((r) => el('td', {}, String(byReason[r] || 0))),
        el('td', {}, String(total)));
    }));
    const shown = answer.tenants.map((t) => el('tr', {},
      el('td', {}, el('a', { href: `#/tenant/${t.tenantId}` }, t.tenantId)), el('td', {}, t.name || ''),
      el('td', {}, onOff(t.value)), el('td', {}, el('span', { class: `badge ${t.reason}` }, t.reason))));
    if (append) rows.append(...shown); else rows.replaceChildren(...shown);
    next = answer.next;
    more.hidden = !next;
  }
  more.addEventListener('click', () => page(true).catch((problem) => {
    if (!left()) showProblem(problem, 'Tenants of the flag');
  }));
  return {
    element: el('section', { 'aria-labelledby': 'population-heading' },
      el('h3', { id: 'population-heading' }, 'Who has it'), known, countTable, list, more),
    load: () => page(false),
  };
}
