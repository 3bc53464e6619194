// The editor's form model (strings, as typed) and its conversions to the API's InvoiceInput and to the
// live totals calculation.
import type { Invoice, InvoiceInput, Settings } from '../api/types';
import { addDays, localToday, parseDecimalInput } from '../format/format';
import type { LineInput } from '../money/totals';

export interface LineForm {
  description: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  taxRatePercent: string;
}

/** What an invoice and a recurring profile's invoice share: who, in what currency, what, and the notes. */
export interface InvoiceContentForm {
  customerId: string;
  currency: string;
  lines: LineForm[];
  discountKind: 'Percent' | 'Amount';
  discountValue: string;
  notes: string;
}

export interface InvoiceForm extends InvoiceContentForm {
  issueDate: string;
  dueMode: 'terms' | 'date';
  paymentTermsDays: string;
  dueDate: string;
}

export function newLine(taxRatePercent = ''): LineForm {
  return { description: '', quantity: '1', unitPrice: '', discountPercent: '', taxRatePercent };
}

export function emptyForm(settings?: Settings, customerId = ''): InvoiceForm {
  return {
    customerId,
    currency: settings?.defaultCurrency ?? 'EUR',
    issueDate: localToday(),
    dueMode: 'terms',
    paymentTermsDays: String(settings?.paymentTermsDays ?? 14),
    dueDate: '',
    lines: [newLine()],
    discountKind: 'Percent',
    discountValue: '',
    notes: '',
  };
}

export function formFromInvoice(invoice: Invoice): InvoiceForm {
  return {
    customerId: invoice.customerId,
    currency: invoice.currency,
    issueDate: invoice.issueDate,
    dueMode: invoice.paymentTermsDays !== undefined ? 'terms' : 'date',
    paymentTermsDays: invoice.paymentTermsDays !== undefined ? String(invoice.paymentTermsDays) : '',
    dueDate: invoice.dueDate,
    lines: invoice.lines.map((l) => ({
      description: l.description,
      quantity: String(l.quantity),
      unitPrice: String(l.unitPrice),
      discountPercent: l.discountPercent ? String(l.discountPercent) : '',
      taxRatePercent: l.taxRatePercent ? String(l.taxRatePercent) : '',
    })),
    discountKind: invoice.discount.kind,
    discountValue: invoice.discount.value ? String(invoice.discount.value) : '',
    notes: invoice.notes ?? '',
  };
}

/** A decimal field: empty counts as `empty`, anything else must be a number. */
function decimal(text: string, empty: string | null): string | null {
  return text.trim() === '' ? empty : parseDecimalInput(text);
}

/** The line as the calculator takes it, or null while a figure is not a number yet. */
export function lineForCalculation(line: LineForm): LineInput | null {
  const quantity = decimal(line.quantity, null);
  const unitPrice = decimal(line.unitPrice, null);
  const discountPercent = decimal(line.discountPercent, '0');
  const taxRatePercent = decimal(line.taxRatePercent, '0');
  if (quantity === null || unitPrice === null || discountPercent === null || taxRatePercent === null) return null;
  return { quantity, unitPrice, discountPercent, taxRatePercent };
}

export function discountValueForCalculation(form: Pick<InvoiceForm, 'discountValue'>): string | null {
  return decimal(form.discountValue, '0');
}

export type FieldProblem = { field: string; message: string };

/** What must be fixed before the form can be sent at all (numbers that are not numbers); the API checks the rules. */
export function localProblems(form: InvoiceForm): FieldProblem[] {
  const problems = contentProblems(form);
  if (form.dueMode === 'terms' && !/^\d+$/.test(form.paymentTermsDays.trim()))
    problems.push({ field: 'paymentTermsDays', message: 'Enter a whole number of days.' });
  if (form.dueMode === 'date' && !form.dueDate) problems.push({ field: 'dueDate', message: 'Choose a due date.' });
  return problems;
}

/** The shared fields' problems: a customer, lines with numbers, a discount that is a number. */
export function contentProblems(form: InvoiceContentForm): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!form.customerId) problems.push({ field: 'customerId', message: 'Choose a customer.' });
  form.lines.forEach((line, i) => {
    if (!line.description.trim()) problems.push({ field: `lines.${i}.description`, message: 'Describe what you are billing.' });
    if (decimal(line.quantity, null) === null) problems.push({ field: `lines.${i}.quantity`, message: 'Enter a number, e.g. 1 or 2.5.' });
    if (decimal(line.unitPrice, null) === null) problems.push({ field: `lines.${i}.unitPrice`, message: 'Enter a price, e.g. 95.50.' });
    if (decimal(line.discountPercent, '0') === null) problems.push({ field: `lines.${i}.discountPercent`, message: 'Enter a percentage or leave it empty.' });
    if (decimal(line.taxRatePercent, '0') === null) problems.push({ field: `lines.${i}.taxRatePercent`, message: 'Enter a percentage or leave it empty.' });
  });
  if (discountValueForCalculation(form) === null) problems.push({ field: 'discountValue', message: 'Enter a number or leave it empty.' });
  return problems;
}

/** The body of POST/PUT /invoices (call after localProblems found nothing). */
export function toInvoiceInput(form: InvoiceForm): InvoiceInput {
  return {
    ...toContentInput(form),
    issueDate: form.issueDate || undefined,
    ...(form.dueMode === 'terms' ? { paymentTermsDays: Number(form.paymentTermsDays.trim()) } : { dueDate: form.dueDate }),
  };
}

/** The shared fields as the API takes them (call after contentProblems found nothing). */
export function toContentInput(form: InvoiceContentForm): InvoiceInput {
  const num = (text: string, empty: string) => Number(decimal(text, empty));
  const discountValue = num(form.discountValue, '0');
  return {
    customerId: form.customerId,
    currency: form.currency,
    lines: form.lines.map((line) => ({
      description: line.description.trim(),
      quantity: num(line.quantity, '0'),
      unitPrice: num(line.unitPrice, '0'),
      discountPercent: num(line.discountPercent, '0'),
      taxRatePercent: num(line.taxRatePercent, '0'),
    })),
    discount: { kind: form.discountKind, value: discountValue },
    notes: form.notes.trim() ? form.notes : undefined,
  };
}

/** A problem's path (from its JSON pointer) as the editor's field, or null when the editor has no such field. */
export function editorField(path: string): string | null {
  if (['issueDate', 'dueDate', 'paymentTermsDays'].includes(path)) return path;
  return contentField(path);
}

/** A problem's path as one of the shared fields, or null. */
export function contentField(path: string): string | null {
  if (path === 'discount' || path === 'discount.value') return 'discountValue';
  if (path === 'discount.kind') return 'discountKind';
  if (/^lines\.\d+\.(description|quantity|unitPrice|discountPercent|taxRatePercent)$/.test(path)) return path;
  if (/^lines\.\d+$/.test(path)) return `${path}.description`;
  if (['customerId', 'currency', 'notes', 'lines'].includes(path)) return path;
  return null;
}

/** The due date the form describes, for showing next to the terms. */
export function effectiveDueDate(form: Pick<InvoiceForm, 'dueMode' | 'issueDate' | 'paymentTermsDays' | 'dueDate'>): string | null {
  if (form.dueMode === 'date') return form.dueDate || null;
  const days = Number(form.paymentTermsDays);
  return form.issueDate && Number.isInteger(days) && form.paymentTermsDays.trim() !== '' ? addDays(form.issueDate, days) : null;
}
