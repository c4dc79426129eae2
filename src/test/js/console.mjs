// The web console end to end, in Debian's headless Chromium driven by playwright-core, against a
// two-node cluster. ConsoleIT runs it (node console.mjs) with TF_URL_A and TF_URL_B (the nodes),
// TF_ADMIN (a token with read, write and admin on every tenant), TF_READER (read only), TF_TENANT,
// TF_FLAG (off for the tenant at the start), TF_XSS_FLAG (whose description is markup), TF_CONTROL
// (the test's own endpoint: POST /db/stop, /db/start, /sql) and TF_SHOTS (where screenshots go).
// The release model's part seeds tenants' records through the API, as a tenant registry would,
// and computes every bucket itself (MurmurHash3, as README documents it), not from the service.
// Every control is found by its role and accessible name, as a keyboard or screen-reader user
// finds it. Exit 0 and a JSON summary on the last line, or exit 1 with what happened.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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

/** MurmurHash3 x86 32-bit, seed 0: README's bucket = hash of UTF-8 "<salt>:<tenant>", unsigned, modulo 10,000. */
function murmur3(bytes) {
  const mix = (k) => {
    const k1 = Math.imul(k, 0xcc9e2d51);
    return Math.imul((k1 << 15) | (k1 >>> 17), 0x1b873593);
  };
  let h = 0;
  const tail = bytes.length & ~3;
  for (let i = 0; i < tail; i += 4) {
    h ^= mix(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let i = bytes.length - 1; i >= tail; i--) k = (k << 8) | bytes[i];
  if (bytes.length & 3) h ^= mix(k);
  h ^= bytes.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
const bucket = (salt, tenantId) => murmur3(Buffer.from(`${salt}:${tenantId}`, 'utf8')) % 10_000;
assert.equal(bucket('new-billing', '00000000-0000-0000-0000-000000000000'), 49, 'the bucket of README\'s vectors (BucketTest)');

/** The admin token's request to node A, for what a test sets up rather than what it checks. */
async function apiCall(method, path, body) {
  const response = await fetch(`${nodeA}${path}`, { method, body: JSON.stringify(body),
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' } });
  const text = await response.text();
  assert.equal(response.status, 200, `${method} ${path}: ${text}`);
  return JSON.parse(text);
}

/** The "Why?" panel's facts, {Reason: 'segment', Bucket: '123 of 10,000', ...}. */
const explanation = (page) => page.locator('#why dl').evaluate((dl) => Object.fromEntries(
  [...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));

/** Which row of the attribute form holds {@code name} (the service's order, not the test's). */
async function attributeRow(page, name) {
  for (let n = 1; n <= await page.getByLabel(/^Name of attribute /).count(); n++) {
    if (await page.getByLabel(`Name of attribute ${n}`).inputValue() === name) return n;
  }
  throw new Error(`no attribute ${name} in the form`);
}

try {
  // An operator on node A with an admin token; the tenants list, then the tenant.
  const a = await open(nodeA, admin, 'A');
  await a.page.getByRole('heading', { name: 'Tenants', exact: true }).waitFor();
  await a.page.getByRole('link', { name: tenant }).waitFor();
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


  // The release model. Tenants' records seeded through the API, as a tenant registry would sync
  // them: the test's tenant (enterprise, in the EU) and 29 others, a sixth of them too.
  const RELEASE = 'console_release';
  const SEGMENT = 'eu-enterprise';
  const PERCENT = 20;
  const member = (r) => r.attributes.plan === 'enterprise' && r.attributes.region === 'eu';
  const others = Array.from({ length: 29 }, (_, i) => ({ tenantId: randomUUID(), name: `Other ${i}`,
    attributes: { plan: i % 3 === 0 ? 'enterprise' : 'free', region: i % 2 === 0 ? 'eu' : 'us' } }));
  const records = [{ tenantId: tenant, name: 'Zephyr Console', attributes: { plan: 'enterprise', region: 'eu', seats: 120 } }, ...others];
  await apiCall('POST', '/api/v3/tenants', { tenants: records });
  // A salt that leaves the test's tenant out of the rollout (so that leaving the segment turns the
  // flag off for it) and puts at least one other tenant in (so that "rollout" shows too).
  let salt;
  for (let k = 0; salt === undefined; k++) {
    const candidate = `console-${k}`;
    if (bucket(candidate, tenant) >= PERCENT * 100
      && others.some((r) => !member(r) && bucket(candidate, r.tenantId) < PERCENT * 100)) salt = candidate;
  }
  const inSegment = records.filter(member);
  const inRollout = records.filter((r) => !member(r) && bucket(salt, r.tenantId) < PERCENT * 100);
  const moving = inSegment.length + inRollout.length;
  const expectedMoves = `This moves ${moving} tenants: ${moving} on, 0 off`;
  note(`salt ${salt}: ${inSegment.length} in the segment, ${inRollout.length} in the rollout`);

  // A segment made in the editor: enterprise tenants in the EU.
  await a.page.getByRole('link', { name: 'Segments' }).click();
  await a.page.getByLabel('Name', { exact: true }).fill(SEGMENT);
  await a.page.getByRole('button', { name: 'New segment' }).click();
  await a.page.getByText('A new segment: Save creates it.').waitFor();
  await a.page.getByLabel('Description').fill('Enterprise tenants in the EU');
  for (const [n, attribute, values] of [[1, 'plan', 'enterprise'], [2, 'region', 'eu']]) {
    await a.page.getByRole('button', { name: 'Add condition' }).click();
    await a.page.getByLabel(`Attribute of condition ${n}`).fill(attribute);
    await a.page.getByLabel(`Operator of condition ${n}`).selectOption('in');
    await a.page.getByLabel(`Values of condition ${n}`).fill(values);
  }
  await a.page.getByRole('button', { name: 'Save segment' }).click();
  await a.page.getByText('Created.').waitFor();
  await a.page.getByText('No flag\'s rule uses it.').waitFor();
  await a.page.screenshot({ path: `${env.TF_SHOTS}/segment.png`, fullPage: true });
  const storedSegment = await apiCall('GET', `/api/v3/segments/${SEGMENT}`);
  assert.deepEqual(storedSegment.conditions, [{ attribute: 'plan', op: 'in', values: ['enterprise'] },
    { attribute: 'region', op: 'in', values: ['eu'] }], 'the conditions as the editor sent them');
  assert.equal(storedSegment.match, 'all');

  // A new flag, and its page from the catalogue: a rule for the segment, a rollout, a preview.
  await a.page.getByRole('link', { name: 'Catalogue' }).click();
  await a.page.getByLabel('Name', { exact: true }).fill(RELEASE);
  await a.page.getByRole('button', { name: 'Create flag' }).click();
  await a.page.getByRole('link', { name: RELEASE, exact: true }).click();
  await a.page.getByText('0 tenant(s) override it.').waitFor();
  await a.page.getByRole('button', { name: 'Add rule' }).click();
  assert.equal(await a.page.getByLabel('Segment of rule 1').inputValue(), SEGMENT);
  await a.page.getByLabel('Value of rule 1').selectOption('true');
  await a.page.getByLabel('Rollout percentage').fill(String(PERCENT));
  await a.page.getByLabel('Salt').fill(salt);
  await a.page.getByRole('button', { name: 'Preview' }).click();
  const previewed = a.page.getByRole('status').filter({ hasText: 'This moves' });
  await previewed.waitFor();
  summary.preview = (await previewed.textContent()).trim();
  assert.equal(summary.preview, `${expectedMoves} (of ${records.length} known tenants).`);
  const movingIds = new Set([...inSegment, ...inRollout].map((r) => r.tenantId));
  const listed = await a.page.getByRole('table', { name: 'Tenants it moves' }).getByRole('link').allTextContents();
  assert.equal(listed.length, Math.min(10, moving), 'a few of the moved tenants listed');
  assert.ok(listed.every((id) => movingIds.has(id)), `listed: ${listed}`);
  assert.deepEqual((await apiCall('GET', `/api/v3/flags/${RELEASE}`)).targeting.rules, [], 'a preview writes nothing');
  await a.page.screenshot({ path: `${env.TF_SHOTS}/flag.png`, fullPage: true });

  // Save: the confirmation states the number before anything is written.
  await a.page.getByRole('button', { name: 'Save', exact: true }).click();
  const confirmation = a.page.getByRole('dialog').getByText('This moves');
  await confirmation.waitFor();
  summary.saveConfirmation = (await confirmation.textContent()).trim();
  assert.equal(summary.saveConfirmation, `${expectedMoves}. Tenants with an override keep it.`);
  await a.page.getByRole('dialog').getByRole('button', { name: 'Save targeting' }).click();
  await a.page.getByText(`Saved: moved ${moving} tenants`).waitFor();
  const counts = a.page.getByRole('table', { name: 'Tenants by value and reason' });
  await counts.getByRole('row', { name: `on 0 ${inSegment.length} ${inRollout.length} 0 ${moving}`, exact: true }).waitFor();
  await counts.getByRole('row', { name: `off 0 0 0 ${records.length - moving} ${records.length - moving}`, exact: true }).waitFor();
  const saved = (await apiCall('GET', `/api/v3/flags/${RELEASE}`)).targeting;
  assert.deepEqual(saved, { default: false, rules: [{ segment: SEGMENT, value: true }], rollout: { percentage: PERCENT }, salt });

  // A tenant in the rollout, from the flag's population: "rollout", and why.
  const rolloutTenant = inRollout[0].tenantId;
  await a.page.getByRole('link', { name: rolloutTenant }).click();
  await rowOf(a.page, RELEASE).filter({ hasText: 'rollout' }).waitFor();
  await a.page.getByRole('switch', { name: RELEASE, checked: true }).waitFor();
  await a.page.getByRole('button', { name: `Why? ${RELEASE}` }).click();
  await a.page.getByRole('heading', { name: `Why ${RELEASE} is on` }).waitFor();
  const whyRollout = await explanation(a.page);
  assert.equal(whyRollout.Reason, 'rollout');
  assert.equal(whyRollout.Bucket, `${bucket(salt, rolloutTenant)} of 10,000`);
  assert.match(whyRollout['Rollout percentage'], new RegExp(`^${PERCENT} %`));
  assert.match(whyRollout['Last change'], /^flag\.targeting by console-admin/);

  // The test's tenant: on by the segment's rule, and why.
  await openTenant(a.page);
  await rowOf(a.page, RELEASE).filter({ hasText: `segment ${SEGMENT}` }).waitFor();
  await a.page.getByRole('switch', { name: RELEASE, checked: true }).waitFor();
  await a.page.getByRole('button', { name: `Why? ${RELEASE}` }).click();
  await a.page.getByRole('heading', { name: `Why ${RELEASE} is on` }).waitFor();
  const whySegment = await explanation(a.page);
  assert.equal(whySegment.Reason, 'segment');
  assert.equal(whySegment.Segment, SEGMENT);
  assert.equal(whySegment.Bucket, `${bucket(salt, tenant)} of 10,000`);
  assert.match(whySegment['Last change'], /^flag\.targeting by console-admin/);
  summary.explanation = whySegment;

  // A reader on node B sees the same, and the attributes, with nothing to edit them.
  const r = await open(nodeB, reader, 'R');
  await openTenant(r.page);
  await rowOf(r.page, RELEASE).filter({ hasText: `segment ${SEGMENT}` }).waitFor();
  await r.page.locator('#record').getByText('Zephyr Console').waitFor();
  assert.equal(await r.page.getByRole('button', { name: 'Save attributes' }).count(), 0, 'a reader has no attribute form');

  // A moves the tenant out of the segment by an attribute: off, by default, on both pages, live.
  await a.page.getByLabel(`Value of attribute ${await attributeRow(a.page, 'plan')}`).fill('free');
  await a.page.getByRole('button', { name: 'Save attributes' }).click();
  const leftSegment = performance.now();
  await rowOf(r.page, RELEASE).filter({ hasText: 'Off' }).filter({ hasText: 'default' }).filter({ hasText: 'changed' })
    .waitFor({ timeout: WITHIN_MS });
  summary.attributeEditMs = Math.round(performance.now() - leftSegment);
  await r.page.locator('#record').getByText('plan: free').waitFor({ timeout: WITHIN_MS });
  await a.page.getByRole('switch', { name: RELEASE, checked: false }).waitFor({ timeout: WITHIN_MS });
  await rowOf(a.page, RELEASE).filter({ hasText: 'default' }).waitFor({ timeout: WITHIN_MS });
  // The explanation on screen follows its flag.
  await a.page.getByRole('heading', { name: `Why ${RELEASE} is off` }).waitFor({ timeout: WITHIN_MS });
  assert.equal((await explanation(a.page)).Reason, 'default');
  // And back in: on by the segment again.
  await a.page.getByLabel(`Value of attribute ${await attributeRow(a.page, 'plan')}`).fill('enterprise');
  await a.page.getByRole('button', { name: 'Save attributes' }).click();
  const enteredSegment = performance.now();
  await rowOf(r.page, RELEASE).filter({ hasText: 'On' }).filter({ hasText: `segment ${SEGMENT}` }).waitFor({ timeout: WITHIN_MS });
  summary.intoSegmentMs = Math.round(performance.now() - enteredSegment);
  await a.page.getByRole('heading', { name: `Why ${RELEASE} is on` }).waitFor({ timeout: WITHIN_MS });
  assert.equal((await explanation(a.page)).Reason, 'segment');

  // The reader on the flag's page: the targeting and who has it, nothing to change.
  await r.page.getByRole('link', { name: 'Catalogue' }).click();
  await r.page.getByRole('link', { name: RELEASE, exact: true }).click();
  await r.page.getByRole('table', { name: 'Tenants by value and reason' })
    .getByRole('row', { name: `on 0 ${inSegment.length} ${inRollout.length} 0 ${moving}`, exact: true }).waitFor();
  assert.equal(await r.page.getByLabel('Rollout percentage').inputValue(), String(PERCENT));
  assert.ok(await r.page.getByLabel('Rollout percentage').isDisabled(), 'a reader cannot edit the targeting');
  assert.equal(await r.page.getByRole('button', { name: /^(Save|Preview|Add rule)$/ }).count(), 0);
  await r.context.close();

  // Tenants found by the start of the name and an attribute.
  await a.page.getByRole('link', { name: 'Tenants' }).click();
  const search = async (prefix, attribute, outcome) => {
    await a.page.getByLabel('Name starts with').fill(prefix);
    await a.page.getByLabel('Attribute (name:value)').fill(attribute);
    await a.page.getByRole('button', { name: 'Search' }).click();
    await a.page.getByRole('status').filter({ hasText: outcome }).waitFor();
    return a.page.getByRole('table', { name: 'Known tenants' }).getByRole('link').allTextContents();
  };
  assert.deepEqual(await search('zephyr', 'plan:enterprise', '1 tenant(s) match.'), [tenant]);
  await a.page.getByRole('table', { name: 'Known tenants' }).getByText('region: eu').waitFor();
  assert.deepEqual(await search('zephyr', 'plan:free', 'No tenant matches.'), []);
  const inUs = others.filter((o) => o.attributes.region === 'us').map((o) => o.tenantId).sort();
  assert.deepEqual((await search('', 'region:us', `${inUs.length} tenant(s) match.`)).sort(), inUs);
  summary.searchedByAttribute = inUs.length;
  await a.page.screenshot({ path: `${env.TF_SHOTS}/tenants.png`, fullPage: true });

  // The segment cannot go while the flag's rule uses it: the refusal names the flag.
  await a.page.getByRole('link', { name: 'Segments' }).click();
  await a.page.getByRole('button', { name: `Delete segment: ${SEGMENT}` }).click();
  await a.page.getByRole('dialog').getByRole('button', { name: 'Delete segment' }).click();
  const inUse = a.page.getByRole('alert').filter({ hasText: RELEASE });
  await inUse.waitFor();
  summary.segmentInUse = (await inUse.textContent()).trim();
  assert.match(summary.segmentInUse, /Segment used by flags/);
  await a.page.getByRole('link', { name: SEGMENT, exact: true }).waitFor();

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
