// Active ISO 4217 currencies and their minor-unit digits: the same table as
// functions/SmallPay.Domain/Money/Currencies.cs (a unit test keeps the two in step).

const ZERO_DIGITS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DIGITS = 'BHD IQD JOD KWD LYD OMR TND';
const TWO_DIGITS =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP ' +
  'CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR ' +
  'JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN ' +
  'NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP ' +
  'SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG';

const digitsByCode: ReadonlyMap<string, number> = new Map([
  ...TWO_DIGITS.split(' ').map((code) => [code, 2] as const),
  ...ZERO_DIGITS.split(' ').map((code) => [code, 0] as const),
  ...THREE_DIGITS.split(' ').map((code) => [code, 3] as const),
]);

/** Every currency code the API accepts, alphabetically. */
export const currencyCodes: readonly string[] = [...digitsByCode.keys()].sort();

export function isCurrency(code: string): boolean {
  return digitsByCode.has(code);
}

/** The currency's minor-unit digits (JPY 0, EUR 2, KWD 3). Throws for a code the API would refuse. */
export function minorDigits(code: string): number {
  const digits = digitsByCode.get(code);
  if (digits === undefined) throw new RangeError(`Unknown currency '${code}'.`);
  return digits;
}
