// The OFREP web provider in Chromium, on a page of another origin than the service's (CrossOriginIT
// runs it: node cross-origin.mjs). This script serves the page and the OpenFeature packages from
// node_modules on TF_PAGE_PORT (an origin in the service's auth.cors.allowedOrigins) and on
// TF_OTHER_PORT (one that is not), opens each in Chromium (playwright-core, Debian's chromium),
// and checks: from the allowed origin the provider loads the tenant's flags from TF_URL with its
// token in Authorization (a preflight first), opens the advertised change stream, and a write made
// meanwhile reaches the page within 1 s; from the other origin the browser gets nothing it may read,
// so the provider never becomes ready. Env: TF_URL, TF_TOKEN (read and write), TF_TENANT, TF_FLAG,
// TF_EXPECTED (the flag's value now, "true"/"false"). Exit 0 and a JSON summary on the last line.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

const { env } = process;
const expected = env.TF_EXPECTED === 'true';
const modules = resolve('node_modules');

// Each package's browser (ES module) build: the page's import map names them.
const imports = {
  '@openfeature/core': '/node_modules/@openfeature/core/dist/esm/index.js',
  '@openfeature/web-sdk': '/node_modules/@openfeature/web-sdk/dist/esm/index.js',
  // The web provider's own ofrep-core (2.x, nested under it; the top-level one is the server provider's 0.x).
  '@openfeature/ofrep-core': '/node_modules/@openfeature/ofrep-web-provider/node_modules/@openfeature/ofrep-core/index.esm.js',
  '@openfeature/ofrep-web-provider': '/node_modules/@openfeature/ofrep-web-provider/index.esm.js',
};

const page = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module">
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
const p = new URLSearchParams(location.search);
window.changes = [];
const provider = new OFREPWebProvider({ baseUrl: p.get('base'), headers: [['Authorization', 'Bearer ' + p.get('token')]],
  changeDetection: 'sse', cacheMode: 'disabled' });
OpenFeature.setContext({ targetingKey: p.get('tenant') });
const client = OpenFeature.getClient();
client.addHandler(ProviderEvents.ConfigurationChanged, () => window.changes.push(client.getBooleanValue(p.get('flag'), false)));
const ready = OpenFeature.setProviderAndWait(provider).then(() => true, (e) => String(e && e.message || e));
const gaveUp = new Promise((r) => setTimeout(() => r('not ready within 5 s'), 5000));
Promise.race([ready, gaveUp]).then((outcome) => {
  const details = client.getBooleanDetails(p.get('flag'), p.get('fallback') === 'true');
  window.result = { ready: outcome === true, outcome: String(outcome), value: details.value, reason: details.reason,
    errorCode: details.errorCode || null };
});
</script></head><body>cross-origin page</body></html>`;

/** The page at /, and files under node_modules/@openfeature only (resolved inside it, never above). */
function server(port) {
  const s = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://x');
    if (url.pathname === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const file = resolve(modules, '.' + decodeURIComponent(url.pathname.replace(/^\/node_modules/, '')));
    if (!url.pathname.startsWith('/node_modules/@openfeature/') || !file.startsWith(modules + sep + '@openfeature' + sep)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((done) => s.listen(Number(port), '127.0.0.1', () => done(s)));
}

const servers = [await server(env.TF_PAGE_PORT), await server(env.TF_OTHER_PORT)];
const browser = await chromium.launch({
  executablePath: env.TF_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const trace = [];

/** Opens the page on that port; answers what the provider said, and the page for more. */
async function open(port) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const seen = { allowOrigin: null, corsErrors: 0, streams: 0 };
  tab.on('response', async (r) => {
    if (r.url().includes('/ofrep/v1/evaluate/flags')) seen.allowOrigin = (await r.allHeaders())['access-control-allow-origin'] || null;
  });
  tab.on('request', (r) => {
    if (r.url().includes('/ofrep/v1/events')) seen.streams++;
    trace.push(`${port} ${r.method()} ${r.url()}`);
  });
  tab.on('pageerror', (e) => trace.push(`${port} page error: ${e.message}`));
  tab.on('requestfailed', (r) => trace.push(`${port} failed ${r.url()}: ${r.failure() && r.failure().errorText}`));
  tab.on('console', (m) => {
    if (/CORS|Access-Control/i.test(m.text())) seen.corsErrors++;
    trace.push(`${port} console ${m.type()}: ${m.text()}`);
  });
  const query = new URLSearchParams({ base: env.TF_URL, token: env.TF_TOKEN, tenant: env.TF_TENANT, flag: env.TF_FLAG,
    fallback: String(!expected) });
  await tab.goto(`http://127.0.0.1:${port}/?${query}`);
  await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 15000 }).catch((e) => {
    throw new Error(`${e.message}; what happened:\n${trace.join('\n')}`);
  });
  return { tab, seen, result: await tab.evaluate(() => window.result) };
}

try {
  const allowed = await open(env.TF_PAGE_PORT);
  assert.equal(allowed.result.ready, true, `the provider ready on the allowed origin: ${JSON.stringify(allowed.result)}\n${trace.join('\n')}`);
  assert.equal(allowed.result.value, expected, 'the flag as the service has it');
  assert.equal(allowed.seen.allowOrigin, `http://127.0.0.1:${env.TF_PAGE_PORT}`, 'the bulk answer names the page origin');

  // A write made now reaches the page through the cross-origin change stream.
  const sent = Date.now();
  const put = await fetch(`${env.TF_URL}/api/v3/features/tenant/${env.TF_FLAG}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${env.TF_TOKEN}`, 'X-Tenant-ID': env.TF_TENANT, 'Content-Type': 'application/json' },
    body: JSON.stringify({ enabled: !expected }),
  });
  assert.equal(put.status, 200, `the write: ${await put.text()}`);
  await allowed.tab.waitForFunction((v) => window.changes.includes(v), !expected, { timeout: 1000 });
  const changeMs = Date.now() - sent;
  assert.ok(allowed.seen.streams >= 1, 'the change stream opened from the page');

  const other = await open(env.TF_OTHER_PORT);
  assert.equal(other.result.ready, false, `the provider not ready on another origin: ${JSON.stringify(other.result)}`);
  assert.equal(other.result.value, !expected, "the code's fallback, nothing read from the service");
  assert.ok(other.seen.corsErrors >= 1, `the browser reported the refusal:\n${trace.join('\n')}`);

  console.log(JSON.stringify({ allowed: allowed.result, other: other.result, changeMs, allowOrigin: allowed.seen.allowOrigin,
    refusalsReported: other.seen.corsErrors }));
} finally {
  await browser.close();
  servers.forEach((s) => s.close());
}
