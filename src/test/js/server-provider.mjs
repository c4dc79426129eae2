// The OpenFeature server SDK for Node with the OFREP provider, against one node of the service.
// NodeProvidersIT runs it (node server-provider.mjs) with TF_URL, TF_TOKEN, TF_TENANT and
// TF_EXPECTED (the tenant's map as the database has it, JSON); it checks every flag's value, the
// reason and variant, a missing flag's code default, and X-API-Key instead of a bearer token.
// Exit 0 and a JSON summary on the last line when everything held; exit 1 with the failure.
import assert from 'node:assert/strict';
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';

const { TF_URL: url, TF_TOKEN: token, TF_TENANT: tenant } = process.env;
const expected = JSON.parse(process.env.TF_EXPECTED);

async function clientWith(domain, headers) {
  await OpenFeature.setProviderAndWait(domain, new OFREPProvider({ baseUrl: url, headers }));
  return OpenFeature.getClient(domain);
}

const bearer = await clientWith('bearer', [['Authorization', `Bearer ${token}`]]);
const context = { targetingKey: tenant };
const reasons = {};
for (const [flag, value] of Object.entries(expected)) {
  const details = await bearer.getBooleanDetails(flag, !value, context);
  assert.equal(details.errorCode, undefined, `${flag}: ${details.errorMessage}`);
  assert.equal(details.value, value, flag);
  assert.equal(details.variant, value ? 'on' : 'off', flag);
  assert.ok(['TARGETING_MATCH', 'STATIC'].includes(details.reason), `${flag}: reason ${details.reason}`);
  assert.equal(typeof details.flagMetadata.revision, 'number', `${flag}: metadata.revision`);
  reasons[details.reason] = (reasons[details.reason] ?? 0) + 1;
}

const missing = await bearer.getBooleanDetails('no_such_flag', true, context);
assert.equal(missing.value, true, "a missing flag's code default");
assert.equal(missing.errorCode, 'FLAG_NOT_FOUND');

const apiKey = await clientWith('api-key', [['X-API-Key', token]]);
const [first, value] = Object.entries(expected)[0];
assert.equal(await apiKey.getBooleanValue(first, !value, context), value, 'X-API-Key instead of a bearer token');

const refused = await (await clientWith('no-token', [])).getBooleanDetails(first, !value, context);
assert.equal(refused.value, !value, 'no token: the code default');
assert.equal(refused.errorCode, 'GENERAL', `no token: ${refused.errorMessage}`);

await OpenFeature.close();
console.log(JSON.stringify({ flags: Object.keys(expected).length, reasons, missing: missing.errorCode, noToken: refused.errorMessage }));
