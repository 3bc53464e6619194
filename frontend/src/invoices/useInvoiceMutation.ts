import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { invoiceChanged } from '../api/queries';
import { useQueryKeys } from '../app/business';
import type { Invoice, Versioned } from '../api/types';
import { useToast } from '../ui/feedback';

export function isStaleError(error: unknown): boolean {
  return error instanceof ApiError && error.isStale;
}

/** Shared by the action dialogs: a 412 closes the dialog and raises the page's reload banner. */
export function useInvoiceMutation<T>(
  invoice: Versioned<Invoice>,
  run: (input: T) => Promise<Versioned<Invoice>>,
  options: { onDone: (saved: Versioned<Invoice>) => void; onStale: () => void; success: string },
) {
  const queryClient = useQueryClient();
  const keys = useQueryKeys();
  const toast = useToast();
  return useMutation({
    mutationFn: run,
    onSuccess: (saved) => {
      invoiceChanged(queryClient, keys, saved);
      toast(options.success);
      options.onDone(saved);
    },
    onError: (error) => {
      if (isStaleError(error)) {
        options.onStale();
        options.onDone(invoice);
      }
    },
  });
}

