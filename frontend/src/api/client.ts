// The one module that talks to the SmallPay API: typed calls, the bearer token, ETags for If-Match,
// Idempotency-Keys, and RFC 9457 problems turned into errors whose field pointers map onto form fields.
import type {
  Customer, CustomerInput, CustomerQuery, Dashboard, Invoice, InvoiceInput, InvoicePdf, InvoiceQuery,
  InvoiceSummary, Page, PaymentInput, Problem, SendInput, Settings, SettingsInput, Versioned,
} from './types';

/** Where the client gets its token, and what it does when the session is gone. */
export interface TokenSource {
  /** A valid ID token (refreshed if needed), or null when nobody is signed in or the refresh failed. */
  getToken(): Promise<string | null>;
  /** Asks the user to sign in again; resolves true once they have (then the request is retried). */
  reauthenticate(): Promise<boolean>;
}

/** An API answer other than 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get type(): string {
    return this.problem.type;
  }

  /** 412: someone changed the resource since it was loaded; nothing was saved. */
  get isStale(): boolean {
    return this.status === 412;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }

  /**
   * Field errors keyed by form field path: the pointer `/lines/2/quantity` becomes `lines.2.quantity`
   * (the path react-hook-form uses). Several errors for one field are joined.
   */
  get fieldErrors(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) {
      const path = pointerToPath(error.pointer);
      result[path] = result[path] ? `${result[path]}; ${error.detail}` : error.detail;
    }
    return result;
  }
}

/** Thrown when a call needed a signed-in user and the user did not sign in again. */
export class SessionExpiredError extends ApiError {
  constructor() {
    super({ type: '/problems/unauthorized', title: 'Your session has expired.', status: 401, detail: 'Sign in again to continue.' });
    this.name = 'SessionExpiredError';
  }
}

/** A JSON Pointer (RFC 6901) as a dotted path: `/address/city` → `address.city`, `/lines/0/quantity` → `lines.0.quantity`. */
export function pointerToPath(pointer: string): string {
  if (pointer === '' || pointer === '/') return '';
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/** Reads an error response as a problem document, whatever shape it came in. */
export async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
  const text = await response.text().catch(() => '');
  if (!text) return fallback;
  try {
    const body = JSON.parse(text) as Partial<Problem> & { message?: string };
    if (typeof body.title === 'string' || typeof body.type === 'string') {
      return {
        ...fallback,
        ...body,
        type: body.type ?? 'about:blank',
        title: body.title ?? fallback.title,
        status: typeof body.status === 'number' ? body.status : response.status,
        errors: Array.isArray(body.errors) ? body.errors.filter((e) => e && typeof e.pointer === 'string') : undefined,
      };
    }
    // API Gateway's own answers (bad token, throttling, body over 10 MB): {"message": "..."}
    if (typeof body.message === 'string') return { ...fallback, title: body.message };
  } catch {
    // not JSON: keep the status line
  }
  return fallback;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  ifMatch?: string;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
  status: number;
}

export interface ApiClientOptions {
  baseUrl: string;
  tokens: TokenSource;
  fetch?: typeof fetch;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly tokens: TokenSource;
  private readonly fetchFn: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.tokens = options.tokens;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = this.url(path, options.query);
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.getToken().catch(() => {
        throw new ApiError({
          type: 'about:blank',
          title: 'The sign-in service cannot be reached.',
          status: 0,
          detail: 'Check your connection and try again; nothing was changed.',
        });
      });
      if (!token) {
        if (attempt === 0 && (await this.tokens.reauthenticate())) continue;
        throw new SessionExpiredError();
      }
      const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.ifMatch) headers['If-Match'] = options.ifMatch;
      if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;

      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal,
        });
      } catch (error) {
        if ((error as Error)?.name === 'AbortError') throw error;
        throw new ApiError({
          type: 'about:blank',
          title: 'SmallPay cannot be reached.',
          status: 0,
          detail: 'Check your connection and try again; nothing was changed.',
        });
      }

      if (response.status === 401 && attempt === 0) {
        // The token was refused (expired, revoked, another pool): sign in again and retry once.
        await response.body?.cancel().catch(() => undefined);
        if (await this.tokens.reauthenticate()) continue;
        throw new SessionExpiredError();
      }
      if (!response.ok) throw new ApiError(await readProblem(response));

      const etag = response.headers.get('ETag');
      if (response.status === 204) return { data: undefined as T, etag, status: 204 };
      const text = await response.text();
      const data = (text ? JSON.parse(text) : undefined) as T;
      return { data, etag, status: response.status };
    }
  }

  private url(path: string, query?: Record<string, string | number | undefined>): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  private async versioned<T extends { version: number }>(method: string, path: string, options?: RequestOptions): Promise<Versioned<T>> {
    const { data, etag } = await this.request<T>(method, path, options);
    return { data, etag: etag ?? `"${data.version}"` };
  }

  // ---------------------------------------------------------------- invoices

  listInvoices(query: InvoiceQuery = {}, signal?: AbortSignal): Promise<Page<InvoiceSummary>> {
    const { status, ...rest } = query;
    return this.request<Page<InvoiceSummary>>('GET', '/invoices', {
      query: { ...rest, status: status?.length ? status.join(',') : undefined },
      signal,
    }).then((r) => r.data);
  }

  getInvoice(id: string, signal?: AbortSignal): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('GET', `/invoices/${encodeURIComponent(id)}`, { signal });
  }

  createInvoice(input: InvoiceInput, idempotencyKey: string): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('POST', '/invoices', { body: input, idempotencyKey });
  }

  updateInvoice(id: string, input: InvoiceInput, etag: string): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('PUT', `/invoices/${encodeURIComponent(id)}`, { body: input, ifMatch: etag });
  }

  async deleteInvoice(id: string, etag?: string): Promise<void> {
    await this.request<void>('DELETE', `/invoices/${encodeURIComponent(id)}`, { ifMatch: etag });
  }

  finalizeInvoice(id: string, etag?: string): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('POST', `/invoices/${encodeURIComponent(id)}/finalize`, { ifMatch: etag });
  }

  voidInvoice(id: string, reason: string | undefined, etag?: string): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('POST', `/invoices/${encodeURIComponent(id)}/void`, {
      body: reason ? { reason } : {},
      ifMatch: etag,
    });
  }

  recordPayment(id: string, input: PaymentInput, idempotencyKey: string, etag?: string): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('POST', `/invoices/${encodeURIComponent(id)}/payments`, { body: input, idempotencyKey, ifMatch: etag });
  }

  /**
   * Queues the invoice for e-mailing (202, a draft is finalized first); the answer is the invoice with the new
   * delivery (status Pending) that the documents worker then sends.
   */
  sendInvoice(id: string, input: SendInput, idempotencyKey: string, etag?: string): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('POST', `/invoices/${encodeURIComponent(id)}/send`, { body: input, idempotencyKey, ifMatch: etag });
  }

  /** A short-lived download link for the invoice PDF; 409 (document-not-ready) while it is being rendered. */
  async getInvoicePdf(id: string): Promise<InvoicePdf> {
    return (await this.request<InvoicePdf>('GET', `/invoices/${encodeURIComponent(id)}/pdf`)).data;
  }

  // ---------------------------------------------------------------- customers

  listCustomers(query: CustomerQuery = {}, signal?: AbortSignal): Promise<Page<Customer>> {
    return this.request<Page<Customer>>('GET', '/customers', { query: { ...query }, signal }).then((r) => r.data);
  }

  getCustomer(id: string, signal?: AbortSignal): Promise<Versioned<Customer>> {
    return this.versioned<Customer>('GET', `/customers/${encodeURIComponent(id)}`, { signal });
  }

  createCustomer(input: CustomerInput, idempotencyKey: string): Promise<Versioned<Customer>> {
    return this.versioned<Customer>('POST', '/customers', { body: input, idempotencyKey });
  }

  updateCustomer(id: string, input: CustomerInput, etag: string): Promise<Versioned<Customer>> {
    return this.versioned<Customer>('PUT', `/customers/${encodeURIComponent(id)}`, { body: input, ifMatch: etag });
  }

  async deleteCustomer(id: string, etag?: string): Promise<void> {
    await this.request<void>('DELETE', `/customers/${encodeURIComponent(id)}`, { ifMatch: etag });
  }

  // ---------------------------------------------------------------- dashboard and settings

  getDashboard(signal?: AbortSignal): Promise<Dashboard> {
    return this.request<Dashboard>('GET', '/dashboard', { signal }).then((r) => r.data);
  }

  getSettings(signal?: AbortSignal): Promise<Versioned<Settings>> {
    return this.versioned<Settings>('GET', '/settings', { signal });
  }

  updateSettings(input: SettingsInput, etag: string): Promise<Versioned<Settings>> {
    return this.versioned<Settings>('PUT', '/settings', { body: input, ifMatch: etag });
  }
}
