// The quote editor's form rules and the quote page's buttons by status and role.
import { describe, expect, it } from 'vitest';
import type { Quote, QuoteStatus } from '../src/api/types';
import { emptyQuoteForm, quoteAsDocument, quoteField, quoteProblems, toQuoteInput } from '../src/quotes/quoteForm';
import { abilitiesOf, quoteActions } from '../src/team/roles';

const filled = () => ({
  ...emptyQuoteForm(undefined, 'cus_1', '2026-11-20'),
  lines: [{ description: 'Workshop', quantity: '1', unitPrice: '1200', discountPercent: '', taxRatePercent: '19' }],
});

describe('the quote form', () => {
  it('defaults to valid for 30 days and the business terms', () => {
    const form = emptyQuoteForm(undefined, '', '2026-11-20');
    expect(form.validUntil).toBe('2026-12-20');
    expect(form.paymentTermsDays).toBe('14');
  });

  it('refuses a valid-until date before the quote or more than 366 days after it, at its field', () => {
    expect(quoteProblems({ ...filled(), validUntil: '2026-11-19' }).map((p) => p.field)).toEqual(['validUntil']);
    expect(quoteProblems({ ...filled(), validUntil: '2027-11-22' }).map((p) => p.field)).toEqual(['validUntil']);
    expect(quoteProblems(filled())).toEqual([]);
  });

  it('sends the content with the dates and terms, and maps the API’s pointers back to fields', () => {
    expect(toQuoteInput(filled())).toMatchObject({ customerId: 'cus_1', issueDate: '2026-11-20', validUntil: '2026-12-20', paymentTermsDays: 14 });
    expect(quoteField('validUntil')).toBe('validUntil');
    expect(quoteField('lines.0.unitPrice')).toBe('lines.0.unitPrice');
  });

  it('shows a quote as a document due on its valid-until date, without payments', () => {
    const quote = { status: 'Sent', validUntil: '2026-12-20' } as Quote;
    expect(quoteAsDocument(quote)).toMatchObject({ status: 'Open', dueDate: '2026-12-20', payments: [], overdue: false });
  });
});

describe('the quote page’s buttons', () => {
  const all: QuoteStatus[] = ['Draft', 'Sent', 'Accepted', 'Declined', 'Expired', 'Converted'];
  it('by status for those who may write; none for an accountant', () => {
    const can = abilitiesOf('member');
    expect(quoteActions('Draft', can, false)).toEqual(['delete', 'edit', 'send']);
    expect(quoteActions('Sent', can, true)).toEqual(['revokeLinks', 'sendAgain']);
    expect(quoteActions('Accepted', can, true)).toEqual(['revokeLinks', 'convert']);
    expect(quoteActions('Converted', can, false)).toEqual([]);
    for (const status of all) expect(quoteActions(status, abilitiesOf('accountant'), true)).toEqual([]);
  });
});
