// The service's HTTP API as the console calls it. The token lives in this tab's session storage
// only and travels as a Bearer header: never in a URL, never in the page's markup.

const TOKEN_KEY = 'tenant-features.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A refusal as people read it: RFC 9457 problems and OFREP errors alike, with when to retry. */
export class Problem extends Error {
  constructor(status, title, detail, retryAfterSeconds, type) {
    super(title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
    this.type = type;
  }

  /** Database trouble, an open breaker, a deadline, a node gone behind the proxy, or no answer at all: worth trying again. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

async function problemOf(response) {
  const retryAfter = Number(response.headers.get('Retry-After')) || null;
  let body = {};
  try {
    body = await response.json();
  } catch {
    // no JSON body: the status says it all
  }
  if (body.errorCode) { // OFREP's error shape; its 429 is the protocol's "retry later", here database trouble
    const title = response.status === 429 ? 'Service unavailable' : `${response.status} ${body.errorCode}`;
    return new Problem(response.status, title, body.errorDetails || '', retryAfter, body.errorCode);
  }
  return new Problem(response.status, body.title || `HTTP ${response.status}`, body.detail || '', retryAfter, body.type);
}

/** One request; answers {status, headers, body} or throws a Problem. */
export async function call(method, path, { tenant, body, headers } = {}) {
  const sent = { Accept: 'application/json', ...headers };
  const bearer = token.get();
  if (bearer) sent.Authorization = `Bearer ${bearer}`;
  if (tenant) sent['X-Tenant-ID'] = tenant;
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers: sent, cache: 'no-store', credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Problem(0, 'The service did not answer', 'The node or the network is down.', 2);
  }
  if (!response.ok) throw await problemOf(response);
  const text = response.status === 204 ? '' : await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

export const api = {
  me: () => call('GET', '/api/v3/token'),
  /** Known tenants by id; {@code prefix} (of the name, any case) and {@code attribute} ("name:value") narrow the list. */
  tenants: (after, prefix, attribute) => {
    const query = new URLSearchParams({ limit: '50' });
    if (after) query.set('after', after);
    if (prefix) query.set('prefix', prefix);
    if (attribute) query.set('attribute', attribute);
    return call('GET', `/api/v3/tenants?${query}`);
  },
  tenant: (tenant) => call('GET', `/api/v3/tenants/${encodeURIComponent(tenant)}`),
  putTenant: (tenant, name, attributes) => call('PUT', `/api/v3/tenants/${encodeURIComponent(tenant)}`, { body: { name, attributes } }),
  explain: (tenant, flag) => call('GET', `/api/v3/features/tenant/${encodeURIComponent(flag)}/explain`, { tenant }),
  // With the ETag a change event announced, a node whose cache has not heard of the change yet reads through.
  flagsOf: (tenant, etag) => call('POST', `/ofrep/v1/evaluate/flags${etag ? `?flagConfigEtag=${encodeURIComponent(etag)}` : ''}`,
    { tenant, body: { context: { targetingKey: tenant } } }),
  setOverride: (tenant, flag, enabled) => call('PUT', `/api/v3/features/tenant/${encodeURIComponent(flag)}`, { tenant, body: { enabled } }),
  clearOverride: (tenant, flag) => call('DELETE', `/api/v3/features/tenant/${encodeURIComponent(flag)}`, { tenant }),
  audit: (tenant, before, flag) => {
    const query = new URLSearchParams({ limit: '20' });
    if (before) query.set('before', before);
    if (flag) query.set('flag', flag);
    return call('GET', `/api/v3/audit?${query}`, { tenant });
  },
  catalogue: () => call('GET', '/api/v3/flags'),
  flag: (name) => call('GET', `/api/v3/flags/${encodeURIComponent(name)}`),
  createFlag: (name, description) => call('POST', '/api/v3/flags', { body: { name, description } }),
  describeFlag: (name, description) => call('PATCH', `/api/v3/flags/${encodeURIComponent(name)}`, { body: { description } }),
  deleteFlag: (name) => call('DELETE', `/api/v3/flags/${encodeURIComponent(name)}`),
  /** {@code dryRun}: nothing is written; the answer counts the known tenants the change would move each way. */
  setTargeting: (name, targeting, dryRun) => call('PUT',
    `/api/v3/flags/${encodeURIComponent(name)}/targeting${dryRun ? '?dryRun=true' : ''}`, { body: targeting }),
  population: (name, after) => call('GET',
    `/api/v3/flags/${encodeURIComponent(name)}/tenants?limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`),
  segments: () => call('GET', '/api/v3/segments'),
  segment: (name) => call('GET', `/api/v3/segments/${encodeURIComponent(name)}`),
  putSegment: (name, segment) => call('PUT', `/api/v3/segments/${encodeURIComponent(name)}`, { body: segment }),
  deleteSegment: (name) => call('DELETE', `/api/v3/segments/${encodeURIComponent(name)}`),
  diagnostics: () => call('GET', '/diagnostics/db'),
  readiness: async () => {
    const response = await fetch('/health/ready', { cache: 'no-store', credentials: 'omit' });
    return { status: response.status, body: await response.json() };
  },
  sqlTrace: (enabled) => call('PUT', '/diagnostics/sql-trace', { body: { enabled } }),
};
