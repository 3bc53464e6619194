// The quote editor's form model: the invoice's shared fields (InvoiceContentForm), the quote's date, its valid-until
// date and the payment terms of the invoice it becomes; conversions to the API's QuoteInput and back.
import type { Invoice, Quote, QuoteInput, QuoteStatus, Settings } from '../api/types';
import { addDays, localToday } from '../format/format';
import { contentField, contentProblems, newLine, toContentInput, type FieldProblem, type InvoiceContentForm } from '../invoices/invoiceForm';

export const DEFAULT_VALID_DAYS = 30;
export const MAX_VALID_DAYS = 366;

export interface QuoteForm extends InvoiceContentForm {
  issueDate: string;
  validUntil: string;
  paymentTermsDays: string;
}

export function emptyQuoteForm(settings?: Settings, customerId = '', today = localToday()): QuoteForm {
  return {
    customerId,
    currency: settings?.defaultCurrency ?? 'EUR',
    lines: [newLine()],
    discountKind: 'Percent',
    discountValue: '',
    notes: '',
    issueDate: today,
    validUntil: addDays(today, DEFAULT_VALID_DAYS),
    paymentTermsDays: String(settings?.paymentTermsDays ?? 14),
  };
}

export function formFromQuote(quote: Quote): QuoteForm {
  return {
    customerId: quote.customerId,
    currency: quote.currency,
    lines: quote.lines.map((l) => ({
      description: l.description,
      quantity: String(l.quantity),
      unitPrice: String(l.unitPrice),
      discountPercent: l.discountPercent ? String(l.discountPercent) : '',
      taxRatePercent: l.taxRatePercent ? String(l.taxRatePercent) : '',
    })),
    discountKind: quote.discount.kind,
    discountValue: quote.discount.value ? String(quote.discount.value) : '',
    notes: quote.notes ?? '',
    issueDate: quote.issueDate,
    validUntil: quote.validUntil,
    paymentTermsDays: quote.paymentTermsDays !== undefined ? String(quote.paymentTermsDays) : '',
  };
}

const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

/** What must be fixed before the form can be sent (the API checks the rest), each at its field. */
export function quoteProblems(form: QuoteForm): FieldProblem[] {
  const problems = contentProblems(form);
  if (!isDate(form.issueDate)) problems.push({ field: 'issueDate', message: 'Choose the quote’s date.' });
  if (!isDate(form.validUntil)) problems.push({ field: 'validUntil', message: 'Choose the last day it can be accepted.' });
  else if (isDate(form.issueDate) && form.validUntil < form.issueDate) problems.push({ field: 'validUntil', message: 'It cannot end before the quote’s date.' });
  else if (isDate(form.issueDate) && form.validUntil > addDays(form.issueDate, MAX_VALID_DAYS))
    problems.push({ field: 'validUntil', message: `At most ${MAX_VALID_DAYS} days after the quote’s date.` });
  if (!/^\d+$/.test(form.paymentTermsDays.trim())) problems.push({ field: 'paymentTermsDays', message: 'Enter a whole number of days.' });
  return problems;
}

/** The body of POST/PUT /quotes (call after quoteProblems found nothing). */
export function toQuoteInput(form: QuoteForm): QuoteInput {
  return {
    ...toContentInput(form),
    issueDate: form.issueDate,
    validUntil: form.validUntil,
    paymentTermsDays: Number(form.paymentTermsDays.trim()),
  };
}

/** A problem's path as the editor's field, or null. */
export function quoteField(path: string): string | null {
  if (['issueDate', 'validUntil', 'paymentTermsDays'].includes(path)) return path;
  return contentField(path);
}

export const quoteStatusLabel: Record<QuoteStatus, string> = {
  Draft: 'Draft',
  Sent: 'Sent',
  Accepted: 'Accepted',
  Declined: 'Declined',
  Expired: 'Expired',
  Converted: 'Converted',
};

/** The quote in the invoice's shape, for the shared document view (no payments, the valid-until date as its date). */
export function quoteAsDocument(quote: Quote): Invoice {
  return {
    ...quote,
    status: quote.status === 'Draft' ? 'Draft' : 'Open',
    overdue: false,
    daysOverdue: 0,
    dueDate: quote.validUntil,
    payments: [],
  };
}
