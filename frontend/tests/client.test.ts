import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, SessionExpiredError, pointerToPath, readProblem, type TokenSource } from '../src/api/client';

type Call = { url: string; init: RequestInit };

function problem(status: number, body: object, contentType = 'application/problem+json') {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

function client(responses: (Response | Error)[], tokens: Partial<TokenSource> = {}) {
  const calls: Call[] = [];
  const queue = [...responses];
  const fetchFn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = queue.shift();
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    return next;
  });
  const source: TokenSource = {
    getToken: tokens.getToken ?? (async () => 'token-1'),
    reauthenticate: tokens.reauthenticate ?? (async () => false),
  };
  return { api: new ApiClient({ baseUrl: 'https://api.example/', tokens: source, fetch: fetchFn as typeof fetch }), calls };
}

const headersOf = (call: Call) => call.init.headers as Record<string, string>;

describe('API client requests', () => {
  it('sends the bearer token, the JSON body, If-Match and the Idempotency-Key', async () => {
    const invoice = { id: 'inv_1', version: 2 };
    const { api, calls } = client([
      new Response(JSON.stringify(invoice), { status: 201, headers: { 'Content-Type': 'application/json', ETag: '"2"' } }),
      new Response(JSON.stringify(invoice), { status: 200, headers: { 'Content-Type': 'application/json', ETag: '"3"' } }),
    ]);
    const created = await api.createInvoice({ customerId: 'cus_1' }, 'key-1');
    expect(created).toEqual({ data: invoice, etag: '"2"' });
    expect(calls[0].url).toBe('https://api.example/invoices');
    expect(calls[0].init.method).toBe('POST');
    expect(headersOf(calls[0])).toMatchObject({ Authorization: 'Bearer token-1', 'Content-Type': 'application/json', 'Idempotency-Key': 'key-1' });
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ customerId: 'cus_1' });

    await api.updateInvoice('inv_1', { customerId: 'cus_1' }, '"2"');
    expect(headersOf(calls[1])['If-Match']).toBe('"2"');
  });

  it('takes the ETag from the version when the header is not exposed', async () => {
    const { api } = client([new Response(JSON.stringify({ id: 'cus_1', version: 7 }), { status: 200 })]);
    expect((await api.getCustomer('cus_1')).etag).toBe('"7"');
  });

  it('builds list queries: statuses comma-separated, empty filters left out', async () => {
    const { api, calls } = client([new Response(JSON.stringify({ items: [] }), { status: 200 })]);
    await api.listInvoices({ status: ['open', 'partiallypaid'], q: '', customerId: undefined, limit: 20, cursor: 'a/b+c' });
    const url = new URL(calls[0].url);
    expect(url.searchParams.get('status')).toBe('open,partiallypaid');
    expect(url.searchParams.get('limit')).toBe('20');
    expect(url.searchParams.get('cursor')).toBe('a/b+c');
    expect(url.searchParams.has('q')).toBe(false);
  });

  it('answers 204 with no data', async () => {
    const { api } = client([new Response(null, { status: 204 })]);
    await expect(api.deleteInvoice('inv_1', '"1"')).resolves.toBeUndefined();
  });
});

describe('API client errors', () => {
  it('turns a validation problem into field errors keyed by form path', async () => {
    const { api } = client([problem(422, {
      type: '/problems/validation', title: 'Some fields are invalid.', status: 422, detail: 'The invoice has invalid fields.',
      errors: [
        { pointer: '/currency', detail: 'is not an ISO 4217 currency code' },
        { pointer: '/lines/0/quantity', detail: 'must be greater than 0' },
        { pointer: '/lines/0/quantity', detail: 'at most 4 decimals' },
      ],
    })]);
    const error = await api.createInvoice({ customerId: 'cus_1' }, 'k').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.message).toBe('The invoice has invalid fields.');
    expect(error.fieldErrors).toEqual({
      currency: 'is not an ISO 4217 currency code',
      'lines.0.quantity': 'must be greater than 0; at most 4 decimals',
    });
  });

  it('flags a stale version (412) and a conflict (409)', async () => {
    const { api } = client([
      problem(412, { type: '/problems/stale-version', title: 'Someone else changed this first.', status: 412 }),
      problem(409, { type: '/problems/conflict', title: 'The request conflicts with the current state.', status: 409, detail: 'This customer has 2 invoice(s).' }),
    ]);
    const stale = await api.updateSettings({}, '"1"').catch((e) => e);
    expect(stale.isStale).toBe(true);
    expect(stale.type).toBe('/problems/stale-version');
    const conflict = await api.deleteCustomer('cus_1').catch((e) => e);
    expect(conflict.isConflict).toBe(true);
    expect(conflict.message).toBe('This customer has 2 invoice(s).');
  });

  it("reads API Gateway's {message} answers and non-JSON bodies", async () => {
    expect(await readProblem(new Response('{"message":"Too Many Requests"}', { status: 429, headers: { 'Content-Type': 'application/json' } })))
      .toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(await readProblem(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })))
      .toMatchObject({ status: 502, title: 'Bad Gateway', type: 'about:blank' });
    expect(await readProblem(new Response('', { status: 500 }))).toMatchObject({ status: 500, title: 'HTTP 500' });
  });

  it('ignores malformed field errors', async () => {
    const parsed = await readProblem(problem(422, { type: '/problems/validation', title: 'x', status: 422, errors: [null, { detail: 'no pointer' }, { pointer: '/name', detail: 'is required' }] }));
    expect(parsed.errors).toEqual([{ pointer: '/name', detail: 'is required' }]);
  });

  it('reports an unreachable API as status 0 without changing anything', async () => {
    const { api } = client([new TypeError('Failed to fetch')]);
    const error = await api.getDashboard().catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
  });

  it('passes an abort through', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    const { api } = client([abort as unknown as Error]);
    await expect(api.getDashboard()).rejects.toBe(abort);
  });
});

describe('API client sessions', () => {
  it('signs in again after a 401 and retries once with the new token', async () => {
    let token = 'old';
    const reauthenticate = vi.fn(async () => { token = 'new'; return true; });
    const { api, calls } = client([
      new Response('{"message":"Unauthorized"}', { status: 401 }),
      new Response(JSON.stringify({ id: 'cus_1', version: 1 }), { status: 201 }),
    ], { getToken: async () => token, reauthenticate });
    await api.createCustomer({ name: 'Ada' }, 'key-1');
    expect(reauthenticate).toHaveBeenCalledOnce();
    expect(headersOf(calls[1]).Authorization).toBe('Bearer new');
    // the retry is the same request: same body, same Idempotency-Key
    expect(calls[1].init.body).toBe(calls[0].init.body);
    expect(headersOf(calls[1])['Idempotency-Key']).toBe('key-1');
  });

  it('asks for a sign-in before calling when there is no token', async () => {
    let token: string | null = null;
    const { api, calls } = client([new Response(JSON.stringify({ items: [] }), { status: 200 })], {
      getToken: async () => token,
      reauthenticate: async () => { token = 't'; return true; },
    });
    await api.listCustomers();
    expect(calls).toHaveLength(1);
    expect(headersOf(calls[0]).Authorization).toBe('Bearer t');
  });

  it('gives up with SessionExpiredError when the user does not sign in again', async () => {
    const { api, calls } = client([new Response('{"message":"Unauthorized"}', { status: 401 })]);
    const error = await api.getSettings().catch((e) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(error.status).toBe(401);
    expect(calls).toHaveLength(1);
  });

  it('does not loop when the new token is refused too', async () => {
    const { api, calls } = client([
      new Response('{"message":"Unauthorized"}', { status: 401 }),
      new Response('{"message":"Unauthorized"}', { status: 401 }),
    ], { reauthenticate: async () => true });
    const error = await api.getSettings().catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(401);
    expect(calls).toHaveLength(2);
  });
});

describe('pointerToPath', () => {
  it('maps JSON pointers to form paths', () => {
    expect(pointerToPath('/lines/2/quantity')).toBe('lines.2.quantity');
    expect(pointerToPath('/address/postalCode')).toBe('address.postalCode');
    expect(pointerToPath('/a~1b/c~0d')).toBe('a/b.c~d');
    expect(pointerToPath('')).toBe('');
  });
});

describe('API client when the sign-in service is down', () => {
  it('reports status 0 and calls nothing', async () => {
    const { api, calls } = client([], { getToken: async () => { throw new Error('NetworkError'); } });
    const error = await api.getDashboard().catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(calls).toHaveLength(0);
  });
});
