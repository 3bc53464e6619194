// The TypeScript mirror of functions/SmallPay.Domain/Invoices/InvoiceTotals.cs (InvoiceCalculator), so the editor
// shows, while the user types, exactly the figures the server will compute. tests/cases/invoice-totals.json runs
// against both. Arithmetic is exact decimal (big.js); where .NET's decimal type rounds (a result with more than 28
// decimal places or a mantissa over 96 bits) this rounds the same way, so even the ratio the server uses to share
// the discount among tax rates lands on the same digit.
import Big from 'big.js';
import { minorDigits } from './currencies';

// A private Big constructor: its division settings are the .NET decimal's (28 places, ties to even) and
// changing them cannot affect other code using big.js.
const Dec = Big();
Dec.DP = 28;
Dec.RM = Big.roundHalfEven;
Dec.NE = -40;
Dec.PE = 40;

export type Decimal = Big;
export type DecimalInput = string | number | Big;

export interface LineInput {
  quantity: DecimalInput;
  unitPrice: DecimalInput;
  discountPercent?: DecimalInput;
  taxRatePercent?: DecimalInput;
}

export type DiscountKind = 'Percent' | 'Amount';

export interface DiscountInput {
  kind: DiscountKind;
  value: DecimalInput;
}

export interface TaxAmount {
  ratePercent: Big;
  taxable: Big;
  tax: Big;
}

export interface InvoiceTotals {
  lineAmounts: Big[];
  subtotal: Big;
  discount: Big;
  /** One entry per tax rate, ascending. */
  taxes: TaxAmount[];
  tax: Big;
  total: Big;
  amountPaid: Big;
  balanceDue: Big;
}

const MAX_MANTISSA = new Dec(2).pow(96);
const HUNDRED = new Dec(100);

/** Parses a decimal; throws (big.js's "Invalid number") for anything that is not one. */
export function dec(value: DecimalInput): Big {
  return new Dec(value);
}

/** Whether a string is a plain decimal number big.js (and so the calculator) accepts. */
export function isDecimal(value: string): boolean {
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(value.trim());
}

function fractionDigits(x: Big): number {
  return Math.max(0, x.c.length - x.e - 1);
}

/** What .NET's decimal keeps of an exact result: at most 28 decimal places and a 96-bit mantissa. */
function asDotNetDecimal(x: Big): Big {
  let places = Math.min(28, fractionDigits(x));
  let result = x.round(places, Big.roundHalfEven);
  while (places > 0 && result.abs().times(new Dec(10).pow(places)).gte(MAX_MANTISSA)) {
    places -= 1;
    result = x.round(places, Big.roundHalfEven);
  }
  return result;
}

/** Commercial rounding to the currency's minor unit: half away from zero (Currency.Round on the server). */
export function roundMoney(amount: Big, currency: string): Big {
  return amount.round(minorDigits(currency), Big.roundHalfUp);
}

export function calculateTotals(
  currency: string,
  lines: readonly LineInput[],
  discount: DiscountInput,
  amountPaid: DecimalInput = 0,
): InvoiceTotals {
  const round = (x: Big) => roundMoney(x, currency);

  const lineAmounts: Big[] = [];
  let subtotal = new Dec(0);
  for (const line of lines) {
    const gross = asDotNetDecimal(dec(line.quantity).times(dec(line.unitPrice)));
    const discounted = asDotNetDecimal(gross.times(HUNDRED.minus(dec(line.discountPercent ?? 0))));
    const amount = round(asDotNetDecimal(discounted.div(HUNDRED)));
    lineAmounts.push(amount);
    subtotal = subtotal.plus(amount);
  }

  const discountValue = dec(discount.value);
  const discountTotal =
    discount.kind === 'Percent'
      ? round(asDotNetDecimal(asDotNetDecimal(subtotal.times(discountValue)).div(HUNDRED)))
      : minBig(round(discountValue), subtotal);

  const taxes = taxesByRate(currency, lines, lineAmounts, subtotal, discountTotal);
  const tax = taxes.reduce((sum, t) => sum.plus(t.tax), new Dec(0));
  const total = subtotal.minus(discountTotal).plus(tax);
  const paid = dec(amountPaid);
  return { lineAmounts, subtotal, discount: discountTotal, taxes, tax, total, amountPaid: paid, balanceDue: total.minus(paid) };
}

function taxesByRate(currency: string, lines: readonly LineInput[], lineAmounts: Big[], subtotal: Big, discountTotal: Big): TaxAmount[] {
  const round = (x: Big) => roundMoney(x, currency);
  // Rates grouped by value (19 and 19.00 are one rate), ascending.
  const bases = new Map<string, { rate: Big; base: Big }>();
  lines.forEach((line, i) => {
    const rate = dec(line.taxRatePercent ?? 0);
    const key = rate.toString();
    const entry = bases.get(key);
    if (entry) entry.base = entry.base.plus(lineAmounts[i]);
    else bases.set(key, { rate, base: lineAmounts[i] });
  });
  const ordered = [...bases.values()].sort((a, b) => a.rate.cmp(b.rate));

  // The discount is shared among rates by cumulative rounding: each rate gets round(D × bases so far / subtotal)
  // minus what the earlier rates got, so the shares add up to D exactly. Ratio first, as on the server.
  const result: TaxAmount[] = [];
  let cumulativeBase = new Dec(0);
  let allocated = new Dec(0);
  for (const { rate, base } of ordered) {
    cumulativeBase = cumulativeBase.plus(base);
    const allocatedSoFar = subtotal.eq(0)
      ? new Dec(0)
      : cumulativeBase.eq(subtotal)
        ? discountTotal
        : round(asDotNetDecimal(discountTotal.times(cumulativeBase.div(subtotal))));
    const share = allocatedSoFar.minus(allocated);
    allocated = allocatedSoFar;
    const taxable = base.minus(share);
    result.push({ ratePercent: rate, taxable, tax: round(asDotNetDecimal(asDotNetDecimal(taxable.times(rate)).div(HUNDRED))) });
  }
  return result;
}

function minBig(a: Big, b: Big): Big {
  return a.lte(b) ? a : b;
}
