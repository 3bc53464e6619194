// The API's nouns as openapi.yaml describes them. Money and quantities are JSON numbers on the wire; the UI
// formats them with the invoice currency and recomputes live totals with exact decimals (money/totals.ts).

export type InvoiceStatus = 'Draft' | 'Open' | 'PartiallyPaid' | 'Paid' | 'Void';
export type PaymentMethod = 'BankTransfer' | 'Card' | 'Cash' | 'Check' | 'Other';
export type DiscountKind = 'Percent' | 'Amount';
export type StatusFilter = 'draft' | 'open' | 'partiallypaid' | 'paid' | 'void' | 'overdue';

export interface Address {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** A language invoices are written in (openapi.yaml's Language): en, de, fr, es, it, pt, nl, pl, ja, zh-Hans, ar. */
export type Language = string;

export interface CustomerInput {
  name: string;
  email?: string;
  phone?: string;
  address?: Address;
  taxId?: string;
  /** Absent: the business's language. */
  language?: Language;
  /** Whether the business's reminder plan sends this customer payment reminders (absent: it does). */
  remindersEnabled?: boolean;
}

export interface Customer extends CustomerInput {
  id: string;
  invoiceCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerSnapshot {
  name: string;
  email?: string;
  address?: Address;
  taxId?: string;
  language?: Language;
}

export interface InvoiceLineInput {
  description: string;
  quantity: number;
  unitPrice: number;
  discountPercent?: number;
  taxRatePercent?: number;
}

export interface InvoiceLine extends Required<InvoiceLineInput> {
  amount: number;
}

export interface Discount {
  kind: DiscountKind;
  value: number;
}

export interface InvoiceInput {
  customerId: string;
  currency?: string;
  issueDate?: string;
  dueDate?: string;
  paymentTermsDays?: number;
  lines?: InvoiceLineInput[];
  discount?: Discount;
  notes?: string;
}

export interface TaxAmount {
  ratePercent: number;
  taxable: number;
  tax: number;
}

export interface Totals {
  subtotal: number;
  discount: number;
  taxes: TaxAmount[];
  tax: number;
  total: number;
  amountPaid: number;
  balanceDue: number;
}

export interface Payment {
  id: string;
  amount: number;
  date: string;
  method: PaymentMethod;
  note?: string;
  recordedAt: string;
}

export interface PaymentInput {
  amount: number;
  date?: string;
  method?: PaymentMethod;
  note?: string;
}

/** One recipient of a delivery: delivered, refused for good (why), or still pending (with a temporary refusal, if any). */
export interface DeliveryRecipient {
  address: string;
  status: 'Pending' | 'Delivered' | 'Refused';
  reason?: string;
  deliveredAt?: string;
}

/** One e-mail of the invoice (POST /invoices/{id}/send) and what became of it. */
export interface Delivery {
  requestId: string;
  to: string[];
  cc?: string[];
  subject?: string;
  requestedAt: string;
  status: 'Pending' | 'Sending' | 'Sent' | 'PartlySent' | 'Failed' | 'Cancelled';
  /** The invoice itself, or a payment reminder (the plan's, or one sent by hand). */
  kind?: 'Invoice' | 'Reminder';
  /** For a reminder of the plan: which step it was ("7 days after the due date"). */
  reminderLabel?: string;
  sentAt?: string;
  failureReason?: string;
  /** Every recipient (to, then cc); empty when the delivery failed before any was tried. */
  recipients?: DeliveryRecipient[];
}

export interface Invoice {
  id: string;
  number?: string;
  status: InvoiceStatus;
  overdue: boolean;
  daysOverdue: number;
  customerId: string;
  customer: CustomerSnapshot;
  currency: string;
  issueDate: string;
  dueDate: string;
  paymentTermsDays?: number;
  lines: InvoiceLine[];
  discount: Discount;
  notes?: string;
  totals: Totals;
  payments: Payment[];
  deliveries?: Delivery[];
  /** The stored PDF: current when its version is the invoice's. */
  document?: { version: number; renderedAt: string; sizeBytes: number };
  version: number;
  createdAt: string;
  updatedAt: string;
  finalizedAt?: string;
  paidDate?: string;
  voidedAt?: string;
  voidReason?: string;
  /** Whether the reminder plan reminds the customer of this invoice. */
  remindersEnabled?: boolean;
  /** GET /invoices/{id}: the plan's next reminder of this invoice, if one is planned. */
  nextReminder?: { date: string; label: string };
  /** The accepted quote this invoice was converted from. */
  quoteId?: string;
  /** The credit notes issued against it, oldest first. */
  credits?: InvoiceCredit[];
  /** What credit notes credited in all: the balance due is total − paid − credited, never below 0. */
  creditedTotal?: number;
  /** Credit beyond the balance, owed back to the customer, less refunds recorded. */
  owedToCustomer?: number;
}

export interface InvoiceCredit {
  creditNoteId: string;
  number: string;
  amount: number;
  issuedAt: string;
  owed: number;
}

/** POST /invoices/{id}/credit-notes: lines (by index, with quantities) or an amount (tax included), and why. */
export interface CreditNoteInput {
  lines?: { lineIndex: number; quantity: string }[];
  amount?: string;
  reason: string;
  /** E-mail it to the invoice's customer once issued (in the same write). */
  send?: boolean;
}

export interface CreditNoteLine {
  lineIndex?: number;
  description: string;
  quantity: number;
  unitPrice: number;
  discountPercent: number;
  taxRatePercent: number;
  amount: number;
}

export interface CreditNoteRefund {
  id: string;
  amount: number;
  date: string;
  method: PaymentMethod;
  note?: string;
  recordedAt: string;
}

export interface CreditNote {
  id: string;
  number: string;
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  customer: CustomerSnapshot;
  currency: string;
  reason: string;
  issuedAt: string;
  issueDate: string;
  lines: CreditNoteLine[];
  discount: Discount;
  totals: { subtotal: number; discount: number; taxes: { ratePercent: number; taxable: number; tax: number }[]; tax: number; total: number };
  total: number;
  owed: number;
  refunded: number;
  owedToCustomer: number;
  refunds: CreditNoteRefund[];
  version: number;
  /** Every time it was e-mailed, oldest first, with the outcome. */
  deliveries?: Delivery[];
}

export interface CreditNoteSummary {
  id: string;
  number: string;
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  customerName: string;
  currency: string;
  total: number;
  owedToCustomer: number;
  reason: string;
  issuedAt: string;
  version: number;
}

export interface InvoiceSummary {
  id: string;
  number?: string;
  status: InvoiceStatus;
  overdue: boolean;
  customerId: string;
  customerName: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  total: number;
  amountPaid: number;
  balanceDue: number;
  version: number;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface InvoiceQuery {
  status?: StatusFilter[];
  customerId?: string;
  from?: string;
  to?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface CustomerQuery {
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface SendInput {
  to?: string[];
  cc?: string[];
  subject?: string;
  message?: string;
}

export interface InvoicePdf {
  url: string;
  expiresAt: string;
  documentVersion?: number;
}

export interface Aging {
  current: number;
  days1To30: number;
  days31To60: number;
  days61To90: number;
  over90: number;
}

export interface CurrencySummary {
  currency: string;
  received: number;
  outstanding: number;
  overdue: number;
  openCount: number;
  overdueCount: number;
  aging: Aging;
  receivedByMonth: { month: string; amount: number }[];
  topCustomers: { customerId: string; name: string; revenue: number }[];
}

/** What the active recurring profiles will bill from `from` to `until` (30 days), per currency. */
export interface RecurringForecast {
  from: string;
  until: string;
  currencies: { currency: string; amount: number; invoices: number; profiles: number }[];
}

export interface Dashboard {
  asOf: string;
  countsByStatus: Record<InvoiceStatus | 'Overdue', number>;
  currencies: CurrencySummary[];
  recentInvoices: InvoiceSummary[];
  recurring: RecurringForecast;
}

export interface SettingsInput {
  businessName?: string;
  address?: Address;
  email?: string;
  phone?: string;
  taxId?: string;
  defaultCurrency?: string;
  paymentTermsDays?: number;
  numberPrefix?: string;
  nextNumber?: number;
  /** The credit notes' own series (default CN-); left out: unchanged. */
  creditNotePrefix?: string;
  creditNoteNextNumber?: number;
  language?: Language;
  /** The payment reminder plan; left out: unchanged. */
  reminders?: ReminderPlanInput;
}

export type ReminderTiming = 'BeforeDue' | 'OnDueDate' | 'AfterDue';

/** One reminder of the plan: days before, on (0) or after the due date; an after-due step may repeat. */
export interface ReminderStep {
  timing: ReminderTiming;
  days: number;
  repeatEveryDays: number;
  repeats: number;
  subject: string;
  message: string;
}

export interface ReminderPlanInput {
  enabled: boolean;
  steps: ReminderStep[];
}

export interface ReminderPlan extends ReminderPlanInput {
  /** What a step's subject and message may name, in braces. */
  placeholders: string[];
}

export interface Settings extends SettingsInput {
  businessName: string;
  defaultCurrency: string;
  paymentTermsDays: number;
  numberPrefix: string;
  nextNumber: number;
  nextInvoiceNumber: string;
  /** The quotes' own series: the number the next quote sent gets, e.g. QUO-000001. */
  quoteNumberPrefix?: string;
  quoteNextNumber?: number;
  nextQuoteNumber?: string;
  /** The number the next credit note issued gets, e.g. CN-000001. */
  nextCreditNoteNumber?: string;
  language: Language;
  version: number;
  /** Whether `email` was confirmed with a code: only then is it the Reply-To of the business's e-mails. */
  emailVerified?: boolean;
  /** GET only: the daily limit of recipients the business may e-mail, and today's use. */
  sending?: { dailyLimit: number; usedToday: number; established: boolean; resetsAt: string };
  reminders?: ReminderPlan;
}

/** Where a verification code went, and until when it works. */
export interface EmailVerification {
  email: string;
  expiresAt: string;
}

// ---------------------------------------------------------------- businesses and teams

/** What a user may do in a business: owner (everything), member (not settings or the team), accountant (read only). */
export type Role = 'owner' | 'member' | 'accountant';

/** A business the user works in (GET /me), or the one they just joined (POST /invitations/accept). */
export interface Business {
  id: string;
  /** Its business name from its settings; empty until saved. */
  name: string;
  role: Role;
  /** The user's own business (its id is their sub). */
  own: boolean;
}

export interface Me {
  userId: string;
  email?: string;
  defaultBusiness: string;
  businesses: Business[];
}

export interface Member {
  userId: string;
  email?: string;
  role: Role;
  joinedAt?: string;
  /** The business's founder (its id is their sub): they stay its owner. */
  founder: boolean;
  you: boolean;
  /** Sent as If-Match ("3") to change the role. */
  version: number;
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  createdAt: string;
  expiresAt: string;
  acceptedAt?: string;
  /** Only in the answer to POST /team/invitations: the join link the e-mail carries. */
  link?: string;
}

export interface Team {
  business: string;
  yourRole: Role;
  members: Member[];
  invitations: Invitation[];
}

export interface InvitationInput {
  email: string;
  role: Role;
}

/** A resource with the ETag it was loaded with (what If-Match sends back). */
export interface Versioned<T> {
  data: T;
  etag: string;
}

export interface ProblemFieldError {
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem document as the API answers it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
}

// ---------------------------------------------------------------- recurring profiles

export type RecurrenceUnit = 'Week' | 'Month' | 'Quarter' | 'Year';
export type RecurringEndKind = 'Never' | 'AfterCount' | 'OnDate';
export type RecurringAction = 'Draft' | 'FinalizeAndSend';
export type RecurringStatus = 'Active' | 'Paused' | 'Ended';

export interface RecurringSchedule {
  unit: RecurrenceUnit;
  interval: number;
  startDate: string;
  dayOfMonth?: number;
  lastDayOfMonth?: boolean;
  end: { kind: RecurringEndKind; count?: number; date?: string };
}

/** The body of POST /recurring and PUT /recurring/{profileId}. */
export interface RecurringProfileInput {
  name?: string;
  /** As POST /invoices, without issueDate (each period's date) and dueDate (the payment terms decide). */
  invoice: Omit<InvoiceInput, 'issueDate' | 'dueDate'>;
  schedule: RecurringSchedule;
  action: RecurringAction;
}

/** One period: the invoice made for it (its number and status while it exists), or skipped. */
export interface RecurringRun {
  period: string;
  skipped: boolean;
  invoiceId?: string;
  number?: string;
  status?: InvoiceStatus;
}

export interface RecurringProfile {
  id: string;
  name?: string;
  status: RecurringStatus;
  action: RecurringAction;
  invoice: {
    customerId: string;
    currency: string;
    paymentTermsDays?: number;
    lines: InvoiceLine[];
    discount: Discount;
    notes?: string;
    total: number;
  };
  schedule: RecurringSchedule;
  nextRunDate?: string;
  nextRuns: string[];
  invoicesMade: number;
  runs: RecurringRun[];
  pausedReason?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RecurringProfileSummary {
  id: string;
  name?: string;
  status: RecurringStatus;
  action: RecurringAction;
  customerId: string;
  currency: string;
  total: number;
  schedule: RecurringSchedule;
  nextRunDate?: string;
  invoicesMade: number;
  version: number;
}

// ---------------------------------------------------------------- quotes

/** `Expired` is derived by the server (a sent quote past its valid-until date). */
export type QuoteStatus = 'Draft' | 'Sent' | 'Accepted' | 'Declined' | 'Expired' | 'Converted';

/** The body of POST /quotes and PUT /quotes/{id}: an invoice's content with a valid-until date instead of a due date. */
export interface QuoteInput {
  customerId: string;
  currency?: string;
  issueDate?: string;
  validUntil?: string;
  paymentTermsDays?: number;
  lines?: InvoiceLineInput[];
  discount?: Discount;
  notes?: string;
}

export interface Quote {
  id: string;
  number?: string;
  status: QuoteStatus;
  customerId: string;
  customer: CustomerSnapshot;
  currency: string;
  issueDate: string;
  validUntil: string;
  paymentTermsDays?: number;
  lines: InvoiceLine[];
  discount: Discount;
  notes?: string;
  totals: Totals;
  version: number;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  /** What the customer did on the quote's page. */
  viewedAt?: string;
  acceptedAt?: string;
  acceptedBy?: string;
  declinedAt?: string;
  /** The draft invoice it was converted into. */
  invoiceId?: string;
  convertedAt?: string;
  linksRevokedAt?: string;
  deliveries?: Delivery[];
  document?: { version: number; renderedAt: string; sizeBytes: number };
}

export interface QuoteSummary {
  id: string;
  number?: string;
  status: QuoteStatus;
  customerId: string;
  customerName: string;
  currency: string;
  issueDate: string;
  validUntil: string;
  total: number;
  acceptedAt?: string;
  invoiceId?: string;
  version: number;
}

// ---------------------------------------------------------------- CSV exports

export type ExportKind = 'invoices' | 'payments' | 'customers' | 'credit-notes';

export interface ExportQuery {
  kind: ExportKind;
  from?: string;
  to?: string;
  /** Invoices only: one row per invoice (default) or per line. */
  rows?: 'document' | 'line';
  delivery?: 'auto' | 'link';
}

/** A large export: a presigned link to the file in S3, valid until expiresAt. */
export interface ExportLink {
  url: string;
  expiresAt: string;
  fileName: string;
  rows: number;
  sizeBytes: number;
}

/** The report of a customer import: what each row of the file would do (preview) or did. */
export interface CustomerImportReport {
  preview: boolean;
  rows: number;
  create: number;
  skip: number;
  invalid: number;
  items: {
    row: number;
    status: 'create' | 'skip' | 'invalid' | 'created' | 'skipped';
    customerId?: string;
    name?: string;
    email?: string;
    reason?: string;
    errors?: { column: string; message: string }[];
  }[];
}

// ---------------------------------------------------------------- webhooks

export type WebhookEventType =
  | 'InvoiceFinalized'
  | 'InvoiceSent'
  | 'InvoiceDelivered'
  | 'InvoiceDeliveryFailed'
  | 'PaymentRecorded'
  | 'InvoicePaid'
  | 'InvoiceVoided'
  | 'CreditNoteIssued'
  | 'CustomerCreated'
  | 'CustomerUpdated';

export interface WebhookInput {
  url: string;
  events: WebhookEventType[];
  description?: string | null;
  enabled?: boolean;
}

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEventType[];
  description?: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** After a rotation: the old secret signs beside the new one until then. */
  previousSecretUntil?: string;
  version: number;
  /** Only in the answers of creating an endpoint and of rotating its secret: shown once. */
  secret?: string;
}

export interface WebhookList {
  items: Webhook[];
  eventTypes: WebhookEventType[];
}

export interface WebhookAttempt {
  at: string;
  statusCode?: number;
  durationMs: number;
  response?: string;
  error?: string;
  resend: boolean;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  status: 'Pending' | 'Delivered' | 'Failed';
  createdAt: string;
  nextAttemptAt?: string;
  attempts: WebhookAttempt[];
}

/** One entry of an invoice's or a customer's history (GET /invoices/{id}/activity, GET /customers/{id}/activity). */
export interface ActivityEntry {
  id: string;
  entityType: 'Invoice' | 'Customer';
  entityId: string;
  kind:
    | 'created' | 'edited' | 'finalized' | 'sent' | 'reminderSent' | 'delivered' | 'deliveryFailed'
    | 'paymentRecorded' | 'paid' | 'credited' | 'voided' | 'viewed' | 'deleted';
  at: string;
  actor?: string;
  details: Record<string, string>;
  changes?: { field: string; before?: string; after?: string }[];
}
