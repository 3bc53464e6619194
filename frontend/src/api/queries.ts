// Query keys and the cache updates after a change, in one place so every screen agrees on them. Every key of a
// business's data starts with ['business', id]: data of two businesses never shares an entry, and switching can drop
// them all at once.
import type { QueryClient } from '@tanstack/react-query';
import type { CustomerQuery, Invoice, InvoiceQuery, Quote, RecurringProfile, Versioned } from './types';

export const BUSINESS_SCOPE = 'business';

export function queryKeysFor(business: string) {
  const scope = [BUSINESS_SCOPE, business] as const;
  return {
    all: scope,
    dashboard: [...scope, 'dashboard'] as const,
    invoices: (query?: InvoiceQuery) => (query ? ([...scope, 'invoices', query] as const) : ([...scope, 'invoices'] as const)),
    invoice: (id: string) => [...scope, 'invoice', id] as const,
    customers: (query?: CustomerQuery) => (query ? ([...scope, 'customers', query] as const) : ([...scope, 'customers'] as const)),
    customer: (id?: string) => (id === undefined ? ([...scope, 'customer'] as const) : ([...scope, 'customer', id] as const)),
    /** Under the invoice's or customer's own key: whatever refreshes it refreshes its history too. */
    activity: (entity: 'invoice' | 'customer', id: string) => [...scope, entity, id, 'activity'] as const,
    recurringProfiles: [...scope, 'recurring'] as const,
    recurringProfile: (id: string) => [...scope, 'recurring', id] as const,
    quotes: [...scope, 'quotes'] as const,
    quote: (id: string) => [...scope, 'quotes', id] as const,
    creditNotes: [...scope, 'credit-notes'] as const,
    creditNote: (id: string) => [...scope, 'credit-notes', id] as const,
    settings: [...scope, 'settings'] as const,
    team: [...scope, 'team'] as const,
    webhooks: [...scope, 'webhooks'] as const,
    webhookDeliveries: (id: string) => [...scope, 'webhooks', id, 'deliveries'] as const,
  };
}

export type QueryKeys = ReturnType<typeof queryKeysFor>;

/** The signed-in user and their businesses (GET /me): the user's, not a business's. */
export const meKey = (userId: string) => ['me', userId] as const;

/** After an invoice changed: show the new version at once, and refetch every list and figure it appears in. */
export function invoiceChanged(queryClient: QueryClient, keys: QueryKeys, invoice?: Versioned<Invoice>) {
  if (invoice) queryClient.setQueryData(keys.invoice(invoice.data.id), invoice);
  void queryClient.invalidateQueries({ queryKey: keys.invoices() });
  void queryClient.invalidateQueries({ queryKey: keys.dashboard });
  // invoice counts per customer, and (finalizing) the settings' next number
  void queryClient.invalidateQueries({ queryKey: keys.customers() });
  void queryClient.invalidateQueries({ queryKey: keys.settings });
}

/** After a customer changed (in the business on screen: the only one whose data is cached, see app/business.tsx). */
export function customerChanged(queryClient: QueryClient) {
  const inBusiness = (...what: string[]) => (query: { queryKey: readonly unknown[] }) =>
    query.queryKey[0] === BUSINESS_SCOPE && what.includes(query.queryKey[2] as string);
  void queryClient.invalidateQueries({ predicate: inBusiness('customers', 'customer', 'dashboard') });
}

/** After a recurring profile changed: show its new version, and refetch the list and the dashboard's forecast. */
export function recurringProfileChanged(queryClient: QueryClient, keys: QueryKeys, profile: Versioned<RecurringProfile>) {
  queryClient.setQueryData(keys.recurringProfile(profile.data.id), profile);
  void queryClient.invalidateQueries({ queryKey: keys.recurringProfiles, exact: true });
  void queryClient.invalidateQueries({ queryKey: keys.dashboard });
}

/** After a quote changed: show its new version, and refetch the list (and the settings' next quote number). */
export function quoteChanged(queryClient: QueryClient, keys: QueryKeys, quote: Versioned<Quote>) {
  queryClient.setQueryData(keys.quote(quote.data.id), quote);
  void queryClient.invalidateQueries({ queryKey: keys.quotes, exact: true });
  void queryClient.invalidateQueries({ queryKey: keys.settings });
}
