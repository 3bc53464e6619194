// The one module that talks to the SmallPay API: typed calls, the bearer token, the business a request works in
// (X-SmallPay-Business), ETags for If-Match, Idempotency-Keys, and RFC 9457 problems turned into errors whose field
// pointers map onto form fields.
import type {
  ActivityEntry,
  Business, Customer, CustomerInput, CustomerQuery, Dashboard, Invitation, InvitationInput, Invoice, InvoiceInput,
  EmailVerification, InvoicePdf, InvoiceQuery, InvoiceSummary, Me, Member, Page, PaymentInput, Problem, Role, SendInput, Settings,
  RecurringProfile, RecurringProfileInput, RecurringProfileSummary, SettingsInput, Team, Versioned, ExportLink, ExportQuery, CustomerImportReport,
  Quote, QuoteInput, QuoteSummary, CreditNote, CreditNoteInput, CreditNoteSummary, PaymentInput as RefundInput, Webhook, WebhookDelivery, WebhookInput, WebhookList,
} from './types';

/** The header that names the business a request works in (absent: the caller's own). */
export const BUSINESS_HEADER = 'X-SmallPay-Business';

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

  /** 403: the caller's role in the business does not allow this, or they are no longer a member of it. */
  get isForbidden(): boolean {
    return this.status === 403;
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
  /**
   * The route is about the caller, not a business (GET /me, POST /invitations/accept): no business header, and
   * its 403 is the caller's own to explain (not a lost membership).
   */
  outsideBusiness?: boolean;
  /** The answer may be a file (GET /exports): a text/csv answer comes back as a Blob, anything else as JSON. */
  file?: boolean;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
  status: number;
}

/** Told when the API refuses a request in a business (403): the role changed meanwhile, or the membership ended. */
export type ForbiddenListener = (error: ApiError, business: string | null) => void;

export interface ApiClientOptions {
  baseUrl: string;
  tokens: TokenSource;
  fetch?: typeof fetch;
  /** The business every request works in (sent as X-SmallPay-Business); null: the caller's own. */
  business?: string | null;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export class ApiClient {
  /** The business this client's requests work in (null: the caller's own, no header). */
  readonly business: string | null;
  private readonly options: ApiClientOptions;
  private readonly baseUrl: string;
  private readonly tokens: TokenSource;
  private readonly fetchFn: typeof fetch;
  // Shared by every client made from this one with forBusiness(), so one listener hears them all.
  private readonly forbiddenListeners: Set<ForbiddenListener>;

  constructor(options: ApiClientOptions, forbiddenListeners?: Set<ForbiddenListener>) {
    this.options = options;
    this.business = options.business ?? null;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.tokens = options.tokens;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.forbiddenListeners = forbiddenListeners ?? new Set();
  }

  /**
   * The same client working in another business. A screen takes its client and its query keys from the same
   * business, so an answer can never land in another business's cache entry.
   */
  forBusiness(business: string | null): ApiClient {
    return business === this.business ? this : new ApiClient({ ...this.options, business }, this.forbiddenListeners);
  }

  /** Hears every 403 a request in a business gets; returns the unsubscribe. */
  onForbidden(listener: ForbiddenListener): () => void {
    this.forbiddenListeners.add(listener);
    return () => this.forbiddenListeners.delete(listener);
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
      const headers: Record<string, string> = {
        Accept: options.file ? 'text/csv, application/json' : 'application/json',
        Authorization: `Bearer ${token}`,
      };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.ifMatch) headers['If-Match'] = options.ifMatch;
      if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
      if (this.business && !options.outsideBusiness) headers[BUSINESS_HEADER] = this.business;

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
      if (!response.ok) {
        const error = new ApiError(await readProblem(response));
        if (error.isForbidden && !options.outsideBusiness) {
          for (const listener of [...this.forbiddenListeners]) listener(error, this.business);
        }
        throw error;
      }

      const etag = response.headers.get('ETag');
      if (response.status === 204) return { data: undefined as T, etag, status: 204 };
      if (options.file && (response.headers.get('Content-Type') ?? '').startsWith('text/csv'))
        return { data: (await response.blob()) as T, etag, status: response.status };
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

  /** One page of an invoice's or a customer's history, newest first (the change feed writes it a moment after a change). */
  listActivity(entity: 'invoices' | 'customers', id: string, cursor?: string, signal?: AbortSignal): Promise<Page<ActivityEntry>> {
    return this.request<Page<ActivityEntry>>('GET', `/${entity}/${encodeURIComponent(id)}/activity`, {
      query: { limit: 20, cursor },
      signal,
    }).then((r) => r.data);
  }


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

  /** Queues a payment reminder now (202): the plan's words unless the input has its own; it goes out like a send. */
  sendReminder(id: string, input: SendInput, idempotencyKey: string): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('POST', `/invoices/${encodeURIComponent(id)}/reminders`, { body: input, idempotencyKey });
  }

  /** Turns the plan's automatic reminders of one invoice off or on (not an edit: the version stays). */
  setInvoiceReminders(id: string, enabled: boolean, etag: string): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('PUT', `/invoices/${encodeURIComponent(id)}/reminders`, { body: { enabled }, ifMatch: etag });
  }

  /**
   * A CSV export (GET /exports): the file itself (a Blob) up to 2 MiB, else a short-lived link to it in S3.
   * Accountants may export too (it only reads).
   */
  async exportCsv(query: ExportQuery): Promise<Blob | ExportLink> {
    return (await this.request<Blob | ExportLink>('GET', '/exports', { query: { ...query }, file: true })).data;
  }

  /** Checks a CSV file of customers row by row; nothing is written. */
  async previewCustomerImport(csv: string): Promise<CustomerImportReport> {
    return (await this.request<CustomerImportReport>('POST', '/customers/import/preview', { body: { csv } })).data;
  }

  /** Adds the valid new customers of a CSV file; importing the same file again adds nothing. */
  async importCustomers(csv: string, idempotencyKey: string): Promise<CustomerImportReport> {
    return (await this.request<CustomerImportReport>('POST', '/customers/import', { body: { csv }, idempotencyKey })).data;
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

  listRecurringProfiles(signal?: AbortSignal): Promise<{ items: RecurringProfileSummary[] }> {
    return this.request<{ items: RecurringProfileSummary[] }>('GET', '/recurring', { signal }).then((r) => r.data);
  }

  getRecurringProfile(id: string, signal?: AbortSignal): Promise<Versioned<RecurringProfile>> {
    return this.versioned<RecurringProfile>('GET', `/recurring/${encodeURIComponent(id)}`, { signal });
  }

  createRecurringProfile(input: RecurringProfileInput, idempotencyKey: string): Promise<Versioned<RecurringProfile>> {
    return this.versioned<RecurringProfile>('POST', '/recurring', { body: input, idempotencyKey });
  }

  updateRecurringProfile(id: string, input: RecurringProfileInput, etag: string): Promise<Versioned<RecurringProfile>> {
    return this.versioned<RecurringProfile>('PUT', `/recurring/${encodeURIComponent(id)}`, { body: input, ifMatch: etag });
  }

  /** `etag` as If-Match: pausing or resuming what someone else changed meanwhile gets a 412 and the page reloads. */
  pauseRecurringProfile(id: string, etag?: string): Promise<Versioned<RecurringProfile>> {
    return this.versioned<RecurringProfile>('POST', `/recurring/${encodeURIComponent(id)}/pause`, { ifMatch: etag });
  }

  resumeRecurringProfile(id: string, etag?: string): Promise<Versioned<RecurringProfile>> {
    return this.versioned<RecurringProfile>('POST', `/recurring/${encodeURIComponent(id)}/resume`, { ifMatch: etag });
  }


  // ---------------------------------------------------------------- credit notes

  issueCreditNote(invoiceId: string, input: CreditNoteInput, idempotencyKey: string): Promise<Versioned<CreditNote>> {
    return this.versioned<CreditNote>('POST', `/invoices/${encodeURIComponent(invoiceId)}/credit-notes`, { body: input, idempotencyKey });
  }

  listCreditNotes(query: { invoiceId?: string; cursor?: string }, signal?: AbortSignal): Promise<Page<CreditNoteSummary>> {
    const params = new URLSearchParams({ limit: '100' });
    if (query.invoiceId) params.set('invoiceId', query.invoiceId);
    if (query.cursor) params.set('cursor', query.cursor);
    return this.request<Page<CreditNoteSummary>>('GET', `/credit-notes?${params}`, { signal }).then((r) => r.data);
  }

  getCreditNote(id: string, signal?: AbortSignal): Promise<Versioned<CreditNote>> {
    return this.versioned<CreditNote>('GET', `/credit-notes/${encodeURIComponent(id)}`, { signal });
  }

  sendCreditNote(id: string, input: SendInput, idempotencyKey: string): Promise<Versioned<CreditNote>> {
    return this.versioned<CreditNote>('POST', `/credit-notes/${encodeURIComponent(id)}/send`, { body: input, idempotencyKey });
  }

  async getCreditNotePdf(id: string): Promise<InvoicePdf> {
    return (await this.request<InvoicePdf>('GET', `/credit-notes/${encodeURIComponent(id)}/pdf`)).data;
  }

  recordCreditNoteRefund(id: string, input: RefundInput, idempotencyKey: string): Promise<Versioned<CreditNote>> {
    return this.versioned<CreditNote>('POST', `/credit-notes/${encodeURIComponent(id)}/refunds`, { body: input, idempotencyKey });
  }

  // ---------------------------------------------------------------- quotes

  listQuotes(signal?: AbortSignal): Promise<{ items: QuoteSummary[] }> {
    return this.request<{ items: QuoteSummary[] }>('GET', '/quotes', { signal }).then((r) => r.data);
  }

  getQuote(id: string, signal?: AbortSignal): Promise<Versioned<Quote>> {
    return this.versioned<Quote>('GET', `/quotes/${encodeURIComponent(id)}`, { signal });
  }

  createQuote(input: QuoteInput, idempotencyKey: string): Promise<Versioned<Quote>> {
    return this.versioned<Quote>('POST', '/quotes', { body: input, idempotencyKey });
  }

  updateQuote(id: string, input: QuoteInput, etag: string): Promise<Versioned<Quote>> {
    return this.versioned<Quote>('PUT', `/quotes/${encodeURIComponent(id)}`, { body: input, ifMatch: etag });
  }

  async deleteQuote(id: string, etag?: string): Promise<void> {
    await this.request<void>('DELETE', `/quotes/${encodeURIComponent(id)}`, { ifMatch: etag });
  }

  /** A draft gets its QUO- number in the same request; the worker renders and mails it (202). */
  sendQuote(id: string, input: SendInput, idempotencyKey: string): Promise<Versioned<Quote>> {
    return this.versioned<Quote>('POST', `/quotes/${encodeURIComponent(id)}/send`, { body: input, idempotencyKey });
  }

  /** An accepted quote becomes a draft invoice, once (a second convert is a 409). */
  convertQuote(id: string): Promise<Versioned<Invoice>> {
    return this.versioned<Invoice>('POST', `/quotes/${encodeURIComponent(id)}/convert`, {});
  }

  revokeQuoteLinks(id: string): Promise<Versioned<Quote>> {
    return this.versioned<Quote>('DELETE', `/quotes/${encodeURIComponent(id)}/links`, {});
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

  /** Mails a six-digit code to the business's e-mail address (POST /settings/email-verification). */
  requestEmailVerification(): Promise<EmailVerification> {
    return this.request<EmailVerification>('POST', '/settings/email-verification').then((r) => r.data);
  }

  /** Confirms the code: the address becomes the Reply-To of the business's e-mails. */
  confirmEmailVerification(code: string): Promise<Versioned<Settings>> {
    return this.versioned<Settings>('POST', '/settings/email-verification/confirm', { body: { code } });
  }

  // ---------------------------------------------------------------- the caller, businesses and teams

  /** Who is signed in and every business they work in (whichever business this client is for). */
  getMe(signal?: AbortSignal): Promise<Me> {
    return this.request<Me>('GET', '/me', { signal, outsideBusiness: true }).then((r) => r.data);
  }

  /** Joins the business whose invitation link carried this token; it becomes the caller's default business. */
  acceptInvitation(token: string): Promise<Business> {
    return this.request<Business>('POST', '/invitations/accept', { body: { token }, outsideBusiness: true }).then((r) => r.data);
  }

  // ---------------------------------------------------------------- webhooks (owners)

  listWebhooks(signal?: AbortSignal): Promise<WebhookList> {
    return this.request<WebhookList>('GET', '/webhooks', { signal }).then((r) => r.data);
  }

  /** The answer carries the signing secret, this once. */
  createWebhook(input: WebhookInput, idempotencyKey: string): Promise<Versioned<Webhook>> {
    return this.versioned<Webhook>('POST', '/webhooks', { body: input, idempotencyKey });
  }

  updateWebhook(id: string, input: WebhookInput, etag: string): Promise<Versioned<Webhook>> {
    return this.versioned<Webhook>('PUT', `/webhooks/${encodeURIComponent(id)}`, { body: input, ifMatch: etag });
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.request<void>('DELETE', `/webhooks/${encodeURIComponent(id)}`);
  }

  /** A new secret, shown once; the old one signs beside it for 24 hours. */
  rotateWebhookSecret(id: string): Promise<Versioned<Webhook>> {
    return this.versioned<Webhook>('POST', `/webhooks/${encodeURIComponent(id)}/secret`);
  }

  listWebhookDeliveries(id: string, signal?: AbortSignal): Promise<Page<WebhookDelivery>> {
    return this.request<Page<WebhookDelivery>>('GET', `/webhooks/${encodeURIComponent(id)}/deliveries`, { signal }).then((r) => r.data);
  }

  resendWebhookDelivery(webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.request<WebhookDelivery>('POST', `/webhooks/${encodeURIComponent(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/resend`).then((r) => r.data);
  }

  getTeam(signal?: AbortSignal): Promise<Team> {
    return this.request<Team>('GET', '/team', { signal }).then((r) => r.data);
  }

  /** The answer carries the join link (also e-mailed to the address). */
  invite(input: InvitationInput, idempotencyKey: string): Promise<Invitation> {
    return this.request<Invitation>('POST', '/team/invitations', { body: input, idempotencyKey }).then((r) => r.data);
  }

  async revokeInvitation(id: string): Promise<void> {
    await this.request<void>('DELETE', `/team/invitations/${encodeURIComponent(id)}`);
  }

  /** `member.version` is the If-Match: two owners changing one member's role at once get a 412, not a lost change. */
  changeRole(member: Pick<Member, 'userId' | 'version'>, role: Role): Promise<Versioned<Member>> {
    return this.versioned<Member>('PUT', `/team/members/${encodeURIComponent(member.userId)}`, {
      body: { role },
      ifMatch: `"${member.version}"`,
    });
  }

  /** Removes a member (owners), or, with the caller's own id, leaves the business. */
  async removeMember(userId: string): Promise<void> {
    await this.request<void>('DELETE', `/team/members/${encodeURIComponent(userId)}`);
  }
}
