// Query keys and the cache updates after a change, in one place so every screen agrees on them.
import type { QueryClient } from '@tanstack/react-query';
import type { CustomerQuery, Invoice, InvoiceQuery, Versioned } from './types';

export const queryKeys = {
  dashboard: ['dashboard'] as const,
  invoices: (query?: InvoiceQuery) => (query ? (['invoices', query] as const) : (['invoices'] as const)),
  invoice: (id: string) => ['invoice', id] as const,
  customers: (query?: CustomerQuery) => (query ? (['customers', query] as const) : (['customers'] as const)),
  customer: (id: string) => ['customer', id] as const,
  settings: ['settings'] as const,
};

/** After an invoice changed: show the new version at once, and refetch every list and figure it appears in. */
export function invoiceChanged(queryClient: QueryClient, invoice?: Versioned<Invoice>) {
  if (invoice) queryClient.setQueryData(queryKeys.invoice(invoice.data.id), invoice);
  void queryClient.invalidateQueries({ queryKey: queryKeys.invoices() });
  void queryClient.invalidateQueries({ queryKey: queryKeys.dashboard });
  // invoice counts per customer, and (finalizing) the settings' next number
  void queryClient.invalidateQueries({ queryKey: queryKeys.customers() });
  void queryClient.invalidateQueries({ queryKey: queryKeys.settings });
}

export function customerChanged(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.customers() });
  void queryClient.invalidateQueries({ queryKey: ['customer'] });
  void queryClient.invalidateQueries({ queryKey: queryKeys.dashboard });
}
