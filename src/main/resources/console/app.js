// The console: a page per hash route (#/tenants, #/tenant/<id>, #/catalogue, #/flag/<name>,
// #/segments, #/segment/<name>, #/operations),
// rendered from the API's answers with text nodes only. No framework and no build step: the
// files in this folder are what the browser runs, served by the service itself under /console.

import { api, token, Problem } from './api.js';
import { el } from './dom.js';
import { tenantsPage } from './tenants.js';
import { tenantPage } from './tenant.js';
import { cataloguePage } from './catalogue.js';
import { flagPage } from './flag.js';
import { segmentsPage, segmentPage } from './segments.js';
import { operationsPage } from './operations.js';

const main = document.getElementById('main');
const problemBox = document.getElementById('problem');
const tokenState = document.getElementById('token-state');

/** What the token may do, from GET /api/v3/token: {name, permissions, tenants}. */
export const session = { me: null };

/**
 * Shows a refusal as people read it. {@code retryingInSeconds}: the page will try again by itself
 * then (only where it really does); otherwise a retryable refusal says to try again.
 */
export function showProblem(problem, context, retryingInSeconds) {
  if (!(problem instanceof Problem)) {
    problem = new Problem(-1, 'Unexpected error', String(problem && problem.message || problem));
  }
  const lines = [el('h2', {}, context ? `${context}: ${problem.title}` : problem.title)];
  if (problem.detail) lines.push(el('p', {}, problem.detail));
  if (problem.status === 401) lines.push(el('p', {}, 'Paste a valid token above.'));
  if (problem.status === 403) lines.push(el('p', {}, 'Your token lacks what this needs: ask for a token with that permission or tenant.'));
  if (retryingInSeconds) {
    lines.push(el('p', {}, `The service is unavailable for now; retrying by itself in ${retryingInSeconds} s.`));
  } else if (problem.retryable) {
    lines.push(el('p', {}, `The service is unavailable for now; try again in ${problem.retryAfterSeconds || 2} s.`));
  }
  problemBox.replaceChildren(...lines);
  problemBox.hidden = false;
}

export function clearProblem() {
  problemBox.hidden = true;
  problemBox.replaceChildren();
}

let leaving = () => {};

async function identify() {
  session.me = null;
  if (!token.get()) {
    tokenState.textContent = 'No token: paste one to start.';
    return;
  }
  try {
    session.me = (await api.me()).body;
    const scope = session.me.tenants === '*' ? 'all tenants' : `${session.me.tenants.length} tenant(s)`;
    tokenState.textContent = `Token "${session.me.name}": ${session.me.permissions.join(', ')} on ${scope}`;
  } catch (problem) {
    tokenState.textContent = 'Token not accepted.';
    showProblem(problem, 'Token');
  }
}

async function route() {
  leaving();
  leaving = () => {};
  if (session.me) clearProblem(); // without a token, the reason (if any) stays on screen
  const hash = location.hash || '#/tenants';
  for (const link of document.querySelectorAll('nav a')) {
    const section = link.getAttribute('href');
    // A tenant is in Tenants, a flag in the Catalogue, a segment in Segments.
    const here = hash.startsWith(section) || (section === '#/tenants' && hash.startsWith('#/tenant/'))
      || (section === '#/catalogue' && hash.startsWith('#/flag/')) || (section === '#/segments' && hash.startsWith('#/segment/'));
    if (here) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!session.me) {
    main.replaceChildren(el('p', {}, 'Paste an API token above to use the console. It is kept for this tab only.'));
    return;
  }
  const tenantMatch = /^#\/tenant\/([0-9a-fA-F-]{36})$/.exec(hash);
  // Flag and segment names are a-z 0-9 _ . - only: nothing to decode.
  const flagMatch = /^#\/flag\/([a-z][a-z0-9_.-]{0,99})$/.exec(hash);
  const segmentMatch = /^#\/segment\/([a-z][a-z0-9_.-]{0,99})$/.exec(hash);
  const page = tenantMatch ? tenantPage(tenantMatch[1].toLowerCase())
    : flagMatch ? flagPage(flagMatch[1])
      : segmentMatch ? segmentPage(segmentMatch[1])
        : hash === '#/catalogue' ? cataloguePage()
          : hash === '#/segments' ? segmentsPage()
            : hash === '#/operations' ? operationsPage()
              : tenantsPage();
  main.replaceChildren(page.element);
  leaving = page.leave || (() => {});
}

document.getElementById('token-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('token');
  token.set(input.value.trim());
  input.value = '';
  await identify();
  await route();
});
document.getElementById('forget-token').addEventListener('click', async () => {
  token.clear();
  await identify();
  await route();
});
window.addEventListener('hashchange', route);

await identify();
await route();
