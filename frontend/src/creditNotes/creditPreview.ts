// What a credit note will credit, computed with the one totals calculation (money/totals.ts, the server's mirror): the
// invoice's lines at the chosen quantities with its discount (a percentage as it is, a fixed amount in proportion), or
// an amount as entered. The server computes the real figure; this is the dialog's live preview.
import type { Invoice } from '../api/types';
import { calculateTotals, dec, isDecimal, roundMoney, type Decimal } from '../money/totals';

export type CreditMode = 'lines' | 'amount';

/** Quantities by line index, as typed (empty or 0: the line is not credited). */
export type LineQuantities = Record<number, string>;

export function creditable(invoice: Invoice): Decimal {
  const left = dec(invoice.totals.total).minus(dec(invoice.creditedTotal ?? 0));
  return left.lt(0) ? dec(0) : left;
}

export function chosenLines(quantities: LineQuantities): { lineIndex: number; quantity: string }[] {
  return Object.entries(quantities)
    .filter(([, q]) => isDecimal(q) && dec(q).gt(0))
    .map(([index, q]) => ({ lineIndex: Number(index), quantity: q.trim() }));
}

/** The credit's total, or null when nothing valid is chosen yet. */
export function previewCredit(invoice: Invoice, mode: CreditMode, quantities: LineQuantities, amount: string): Decimal | null {
  if (mode === 'amount') return isDecimal(amount) && dec(amount).gt(0) ? dec(amount) : null;
  const chosen = chosenLines(quantities).filter((c) => c.lineIndex < invoice.lines.length);
  if (chosen.length === 0) return null;
  const lines = chosen.map((c) => ({ ...invoice.lines[c.lineIndex], quantity: c.quantity }));
  const discount = invoice.discount;
  let creditDiscount = discount;
  if (discount.kind === 'Amount') {
    const subtotal = calculateTotals(invoice.currency, lines, { kind: 'Percent', value: 0 }).subtotal;
    const invoiceSubtotal = dec(invoice.totals.subtotal);
    creditDiscount = {
      kind: 'Amount',
      value: Number(invoiceSubtotal.eq(0) ? 0 : roundMoney(dec(invoice.totals.discount).times(subtotal.div(invoiceSubtotal)), invoice.currency)),
    };
  }
  return calculateTotals(invoice.currency, lines, creditDiscount).total;
}
