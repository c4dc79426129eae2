// The web console end to end, in Debian's headless Chromium driven by playwright-core, against a
// two-node cluster. ConsoleIT runs it (node console.mjs) with TF_URL_A and TF_URL_B (the nodes),
// TF_ADMIN (a token with read, write and admin on every tenant), TF_READER (read only), TF_TENANT,
// TF_FLAG (off for the tenant at the start), TF_XSS_FLAG (whose description is markup), TF_CONTROL
// (the test's own endpoint: POST /db/stop, /db/start, /sql) and TF_SHOTS (where screenshots go).
// Every control is found by its role and accessible name, as a keyboard or screen-reader user
// finds it. Exit 0 and a JSON summary on the last line, or exit 1 with what happened.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const env = process.env;
const { TF_URL_A: nodeA, TF_URL_B: nodeB, TF_ADMIN: admin, TF_READER: reader, TF_TENANT: tenant, TF_FLAG: flag } = env;
const WITHIN_MS = 1000;
mkdirSync(env.TF_SHOTS, { recursive: true });

const trace = [];
const started = performance.now();
const note = (what) => trace.push(`${Math.round(performance.now() - started)} ms ${what}`);

async function control(action, body) {
  const response = await fetch(`${env.TF_CONTROL}/${action}`, { method: 'POST', body: body || '' });
  assert.equal(response.status, 204, `control ${action}: ${await response.text()}`);
  note(`control ${action}`);
}

const browser = await chromium.launch({
  executablePath: env.TF_CHROMIUM || '/usr/bin/chromium',
  // As root in a container, with no network beyond loopback: no sandbox, no background traffic.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const summary = {};
const pages = [];
const offHostRequests = [];
let xssRan = false;

async function open(base, token, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => note(`${name} page error: ${error.message}`));
  page.on('console', (message) => note(`${name} console ${message.type()}: ${message.text()}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) offHostRequests.push(request.url());
  });
  page.on('dialog', (dialog) => { xssRan = true; dialog.dismiss(); });
  pages.push(page);
  await page.goto(`${base}/console/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByRole('status').filter({ hasText: 'Token "' }).waitFor();
  return { context, page };
}

async function openTenant(page) {
  await page.getByRole('link', { name: 'Tenants' }).click();
  await page.getByLabel('Tenant id').fill(tenant);
  await page.getByRole('button', { name: 'Open tenant' }).click();
  await page.getByRole('row', { name: new RegExp(`^${flag}\\b`) }).waitFor();
  await page.getByText('Live updates: connected').waitFor();
}

const rowOf = (page, name) => page.getByRole('row', { name: new RegExp(`^${name}\\b`) });

try {
  // An operator on node A with an admin token; the tenants list, then the tenant.
  const a = await open(nodeA, admin, 'A');
  await a.page.getByRole('heading', { name: 'Tenants', exact: true }).waitFor();
  await a.page.getByRole('link', { name: tenant }).waitFor();
  await a.page.screenshot({ path: `${env.TF_SHOTS}/tenants.png` });
  await openTenant(a.page);
  assert.equal(await a.page.getByRole('switch', { name: flag }).getAttribute('aria-checked'), 'false');
  const revisionBefore = await a.page.getByText(/^Revision /).textContent();
  note(`A at ${revisionBefore}`);

  // A second operator on node B with a read-only token: no toggle anywhere.
  const b = await open(nodeB, reader, 'B');
  await openTenant(b.page);
  assert.equal(await b.page.getByRole('switch').count(), 0, 'a read-only token sees no toggle');
  assert.equal(await b.page.getByRole('button', { name: /^Back to default/ }).count(), 0);
  await b.page.getByText('may read this tenant but not change it').waitFor();

  // A flips the flag; B sees it within a second, marked, without a reload.
  await a.page.getByRole('switch', { name: flag }).click();
  await a.page.getByRole('switch', { name: flag, checked: true }).waitFor();
  const written = performance.now();
  note('A wrote');
  await rowOf(b.page, flag).filter({ hasText: 'On' }).filter({ hasText: 'changed' }).waitFor({ timeout: WITHIN_MS });
  summary.otherNodeMs = Math.round(performance.now() - written);
  note(`B saw it after ${summary.otherNodeMs} ms`);
  assert.notEqual(await a.page.getByText(/^Revision /).textContent(), revisionBefore, 'the revision moved');

  // The audit entry of the write, on A: who, what, before, after.
  const entry = a.page.getByRole('row', { name: new RegExp(`console-admin override\\.set ${flag} (default|off) on`) });
  await entry.waitFor();
  await a.page.screenshot({ path: `${env.TF_SHOTS}/tenant.png`, fullPage: true });
  await a.page.getByLabel('History of flag').fill(flag);
  await a.page.getByRole('button', { name: 'Show history' }).click();
  await entry.waitFor();

  // A direct SQL edit reaches both pages too.
  await control('sql', `UPDATE tenant_features SET is_enabled = false WHERE tenant_id = '${tenant}'
    AND feature_id = (SELECT id FROM feature_flags WHERE name = '${flag}')`);
  const edited = performance.now();
  await rowOf(b.page, flag).filter({ hasText: 'Off' }).waitFor({ timeout: WITHIN_MS });
  summary.sqlEditMs = Math.round(performance.now() - edited);
  await a.page.getByRole('switch', { name: flag, checked: false }).waitFor({ timeout: WITHIN_MS });

  // A write forced through B's page (as a stale page would send it) is refused, and says why.
  await b.page.evaluate((name) => document.getElementById('flags')
    .dispatchEvent(new CustomEvent('tf:write', { detail: { flag: name, enabled: true } })), flag);
  const refusal = b.page.getByRole('alert');
  await refusal.filter({ hasText: 'write' }).waitFor();
  summary.forbidden = (await refusal.textContent()).trim();
  assert.match(summary.forbidden, /permission/i);
  await b.page.screenshot({ path: `${env.TF_SHOTS}/forbidden.png` });
  await b.context.close();

  // The catalogue: a description holding markup is text and runs nothing.
  await a.page.getByRole('link', { name: 'Catalogue' }).click();
  const markup = a.page.getByRole('row', { name: new RegExp(`^${env.TF_XSS_FLAG}\\b`) });
  await markup.getByText('<img src=x onerror=').waitFor();
  assert.equal(await a.page.locator('main img').count(), 0, 'no element was made of the description');
  assert.equal(await a.page.evaluate(() => window.tfXss), undefined, 'the description ran no script');
  await a.page.screenshot({ path: `${env.TF_SHOTS}/catalogue.png`, fullPage: true });
  // A delete says what it removes before it asks, and a cancel keeps the flag.
  await a.page.getByRole('button', { name: `Delete flag: ${flag}` }).click();
  const dialog = a.page.getByRole('dialog');
  await dialog.getByText(/tenant\(s\) have an override|No tenant has an override/).waitFor();
  summary.deleteWarning = (await dialog.getByText(/Every tenant loses/).textContent()).trim();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await a.page.getByRole('row', { name: new RegExp(`^${flag}\\b`) }).waitFor();

  // Operations: readiness, the pool and the breaker, the SQL trace switch.
  await a.page.getByRole('link', { name: 'Operations' }).click();
  await a.page.getByText('Readiness: UP').waitFor();
  await a.page.getByText('breaker').first().waitFor();
  const trace_ = a.page.getByRole('switch', { name: 'SQL trace' });
  await trace_.click();
  await a.page.getByRole('switch', { name: 'SQL trace', checked: true }).waitFor();
  await a.page.screenshot({ path: `${env.TF_SHOTS}/operations.png`, fullPage: true });
  await trace_.click();
  await a.page.getByRole('switch', { name: 'SQL trace', checked: false }).waitFor();

  // The database stopped: the page explains the 503 and when it retries; it recovers by itself.
  await control('db/stop');
  await a.page.goto(`${nodeA}/console/#/tenant/${tenant}`);
  const outage = a.page.getByRole('alert').filter({ hasText: 'retrying by itself' });
  await outage.waitFor({ timeout: 20_000 });
  summary.outage = (await outage.textContent()).trim();
  await a.page.screenshot({ path: `${env.TF_SHOTS}/outage.png` });
  await control('db/start');
  const back = performance.now();
  await a.page.getByRole('switch', { name: flag }).waitFor({ timeout: 30_000 });
  await a.page.getByRole('alert').waitFor({ state: 'hidden', timeout: 30_000 });
  summary.recoveredMs = Math.round(performance.now() - back);

  assert.deepEqual(offHostRequests, [], 'no request left the service');
  assert.equal(xssRan, false, 'no dialog was opened by page content');
  assert.ok(!trace.some((line) => line.includes('page error')), 'no script error');
  await browser.close();
  console.log(JSON.stringify(summary));
} catch (error) {
  console.error(`${error.stack}\nwhat happened:\n${trace.join('\n')}`);
  // What each page showed when it failed, for the one who reads the failure (target/, not docs/).
  for (const [i, page] of pages.entries()) {
    await page.screenshot({ path: `${env.TF_FAILURE_SHOTS}/console-failure-${i}.png`, fullPage: true }).catch(() => {});
  }
  await browser.close();
  process.exit(1);
}
