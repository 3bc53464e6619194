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

describe('API client in a business', () => {
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const forbidden = () =>
    problem(403, { type: '/problems/forbidden', title: 'Your role does not allow this.', status: 403, detail: 'As an accountant of this business you may not change customers or invoices; ask an owner.' });

  it('sends the chosen business as X-SmallPay-Business on every call of the business', async () => {
    const { api, calls } = client([json({ items: [] }), json({ id: 'cus_1', version: 1 }), json({ business: 'b-1' }), new Response(null, { status: 204 })]);
    const inBusiness = api.forBusiness('b-1');
    await inBusiness.listInvoices();
    await inBusiness.createCustomer({ name: 'A' }, 'key-1');
    await inBusiness.getTeam();
    await inBusiness.removeMember('user-2');
    for (const call of calls) expect(headersOf(call)['X-SmallPay-Business']).toBe('b-1');
  });

  it('sends no business header for /me and /invitations/accept, which are about the caller', async () => {
    const { api, calls } = client([json({ userId: 'u', defaultBusiness: 'u', businesses: [] }), json({ id: 'b-1', name: 'N', role: 'member', own: false })]);
    const inBusiness = api.forBusiness('b-1');
    await inBusiness.getMe();
    await inBusiness.acceptInvitation('tok-1');
    expect(calls.map((c) => headersOf(c)['X-SmallPay-Business'])).toEqual([undefined, undefined]);
    expect(calls[1].url).toBe('https://api.example/invitations/accept');
    expect(JSON.parse(calls[1].init.body as string)).toEqual({ token: 'tok-1' });
  });

  it('sends no business header before a business is chosen, and keeps one client per business', () => {
    const { api } = client([]);
    expect(api.business).toBeNull();
    const b1 = api.forBusiness('b-1');
    expect(b1.business).toBe('b-1');
    expect(b1.forBusiness('b-1')).toBe(b1);
    expect(b1.forBusiness('b-2').business).toBe('b-2');
    expect(api.business).toBeNull();
  });

  it("changes a member's role with the member's version as If-Match", async () => {
    const { api, calls } = client([json({ userId: 'u-2', role: 'member', founder: false, you: false, version: 4 })]);
    const saved = await api.forBusiness('b-1').changeRole({ userId: 'u-2', version: 3 }, 'member');
    expect(calls[0].init.method).toBe('PUT');
    expect(calls[0].url).toBe('https://api.example/team/members/u-2');
    expect(headersOf(calls[0])['If-Match']).toBe('"3"');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ role: 'member' });
    expect(saved.etag).toBe('"4"');
  });

  it('invites with an Idempotency-Key', async () => {
    const { api, calls } = client([json({ id: 'ivt_1', email: 'a@b.example', role: 'accountant', status: 'pending', link: 'https://app/join?token=t' }, 201)]);
    const invitation = await api.forBusiness('b-1').invite({ email: 'a@b.example', role: 'accountant' }, 'key-9');
    expect(headersOf(calls[0])['Idempotency-Key']).toBe('key-9');
    expect(invitation.link).toBe('https://app/join?token=t');
  });

  it('tells every listener of a 403 in a business, with the business, and still throws it', async () => {
    const { api } = client([forbidden()]);
    const heard: [string, string | null][] = [];
    api.onForbidden((error, business) => heard.push([error.problem.detail ?? '', business]));
    const error = await api.forBusiness('b-1').createCustomer({ name: 'A' }, 'k').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.isForbidden).toBe(true);
    expect(heard).toEqual([['As an accountant of this business you may not change customers or invoices; ask an owner.', 'b-1']]);
  });

  it("keeps a 403 of /invitations/accept (the wrong address) to the page that asked", async () => {
    const { api } = client([problem(403, { type: '/problems/forbidden', title: 'Forbidden', status: 403, detail: 'This invitation is for sam@bookkeeping.example.' })]);
    const listener = vi.fn();
    api.onForbidden(listener);
    const error = await api.forBusiness('b-1').acceptInvitation('tok').catch((e) => e);
    expect(error.status).toBe(403);
    expect(listener).not.toHaveBeenCalled();
  });

  it('stops telling a listener once it unsubscribed', async () => {
    const { api } = client([forbidden()]);
    const listener = vi.fn();
    const unsubscribe = api.onForbidden(listener);
    unsubscribe();
    await api.forBusiness('b-1').getTeam().catch(() => undefined);
    expect(listener).not.toHaveBeenCalled();
  });
});
