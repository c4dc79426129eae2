// The OpenFeature web SDK with the OFREP web provider, run in Node (EventSource from the
// `eventsource` package, as a browser has it), against a two-node cluster. NodeProvidersIT runs it
// (node web-provider.mjs) with TF_URL_A, TF_URL_B, TF_TOKEN (read and write), TF_TENANT, TF_FLAG
// and TF_EXPECTED (the tenant's map as the database has it, JSON). The provider talks to node A:
// bulk load; its advertised SSE stream; a polling provider's re-poll answered 304; then a PUT of
// an override on node B, and another on node A, must each reach it as a configuration-changed
// event with the new value within 1 s. Exit 0 and a JSON summary on the last line, or exit 1.
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

const { TF_URL_A: nodeA, TF_URL_B: nodeB, TF_TOKEN: token, TF_TENANT: tenant, TF_FLAG: flag } = process.env;
const expected = JSON.parse(process.env.TF_EXPECTED);
const WITHIN_MS = 1000;

/** What happened, in order, for the message of a failure: requests, stream messages, events. */
const trace = [];
const started = performance.now();
const note = (what) => trace.push(`${Math.round(performance.now() - started)} ms ${what}`);

/** Resolves when check() holds, or fails after ms: a deadline, not a sleep. */
async function until(what, ms, check) {
  const giveUp = Date.now() + ms;
  while (!check()) {
    assert.ok(Date.now() < giveUp, `${what}: not within ${Math.round(ms)} ms; what happened:\n${trace.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// Every OFREP answer the providers get, and every stream they open, as a browser's devtools would show.
const answers = [];
const recordingFetch = async (input, init) => {
  const request = new Request(input, init);
  const ifNoneMatch = request.headers.get('If-None-Match');
  const response = await fetch(request);
  answers.push({ url: request.url, status: response.status, ifNoneMatch });
  note(`${request.method} ${request.url} If-None-Match: ${ifNoneMatch} -> ${response.status}`);
  return response;
};
const streams = [];
globalThis.EventSource = class RecordingEventSource extends EventSource {
  constructor(url, init) {
    super(url, init);
    const stream = { url: String(url), open: false, etags: [] };
    streams.push(stream);
    this.addEventListener('open', () => { stream.open = true; note(`stream open ${url}`); });
    this.addEventListener('message', (event) => {
      note(`stream message ${event.data}`);
      stream.etags.push(JSON.parse(event.data).etag);
    });
    this.addEventListener('error', (event) => note(`stream error ${event.message ?? ''}`));
  }
};

const options = {
  baseUrl: nodeA,
  headers: [['Authorization', `Bearer ${token}`]],
  fetchImplementation: recordingFetch,
  cacheMode: 'disabled', // no localStorage in Node, and every value here must come from the service
};
await OpenFeature.setContext({ targetingKey: tenant });
await OpenFeature.setProviderAndWait(new OFREPWebProvider({ ...options, changeDetection: 'sse' }));
const client = OpenFeature.getClient();

// Bulk load: every flag, no request per evaluation.
for (const [key, value] of Object.entries(expected)) {
  assert.equal(client.getBooleanValue(key, !value), value, `${key} after the bulk load`);
}
assert.equal(client.getBooleanDetails('no_such_flag', true).value, true, "a missing flag's code default");
assert.equal(answers.length, 1, `one bulk request: ${JSON.stringify(answers)}`);
assert.equal(answers[0].status, 200);

// The stream the bulk answer advertised: a URL with its own ticket, never the bearer token.
await until('the advertised SSE stream open', 5000, () => streams.some((s) => s.open));
assert.match(streams[0].url, /\/ofrep\/v1\/events\?ticket=/);
assert.ok(!streams[0].url.includes(token), 'the stream URL carries a ticket, not the token');

// Polling (ADR-0005): the re-poll sends the ETag back and is answered 304.
const polled = answers.length;
await OpenFeature.setProviderAndWait('polling', new OFREPWebProvider({ ...options, changeDetection: 'polling', pollInterval: 100 }));
await until('a re-poll answered 304', 5000, () => answers.slice(polled).some((a) => a.status === 304));
const repoll = answers.slice(polled).find((a) => a.status === 304);
assert.ok(repoll.ifNoneMatch, 'the re-poll sent If-None-Match');

// A write on each node reaches the provider on node A as configuration-changed, with the new value.
const changes = [];
client.addHandler(ProviderEvents.ConfigurationChanged, () => {
  changes.push({ at: performance.now(), value: client.getBooleanDetails(flag, false).value });
  note(`configuration-changed: ${flag}=${changes.at(-1).value}`);
});
const figures = {};
let value = expected[flag];
for (const [name, node] of [['writeOnOtherNodeMs', nodeB], ['writeOnSameNodeMs', nodeA]]) {
  value = !value;
  const before = changes.length;
  const sent = performance.now();
  note(`PUT ${flag}=${value} on ${node}`);
  const put = await fetch(`${node}/api/v3/features/tenant/${flag}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'X-Tenant-ID': tenant, 'Content-Type': 'application/json' },
    body: JSON.stringify({ enabled: value }),
  });
  assert.equal(put.status, 200, `PUT on ${node}: ${await put.text()}`);
  await until(`configuration-changed with ${flag}=${value} after a PUT on ${node}`, WITHIN_MS - (performance.now() - sent),
    () => changes.slice(before).some((c) => c.value === value));
  figures[name] = Math.round(changes.slice(before).find((c) => c.value === value).at - sent);
  assert.equal(client.getBooleanValue(flag, !value), value);
}

// Each change announced once on a stream, though node A hears it up to four times. (Per stream: the
// provider opens a new one when a refetch advertises a new ticket, and a new stream has been told
// of nothing yet.)
for (const stream of streams) {
  assert.deepEqual(stream.etags, [...new Set(stream.etags)], `one event per change on a stream:\n${trace.join('\n')}`);
}

await OpenFeature.close();
console.log(JSON.stringify({ ...figures, bulk: answers[0].status, repoll: repoll.status, streams: streams.length, events: streams.reduce((n, s) => n + s.etags.length, 0) }));
