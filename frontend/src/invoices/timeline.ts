// Words the invoice's history and payments share. The history itself comes from the change feed (src/activity).

export function methodLabel(method: string): string {
  return ({ BankTransfer: 'Bank transfer', Card: 'Card', Cash: 'Cash', Check: 'Check', Other: 'Other' } as Record<string, string>)[method] ?? method;
}
