import { useQuery } from '@tanstack/react-query';
import { useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { useCustomerChoices } from '../invoices/InvoiceContentFields';

/** A customer's name from the customer list the editor uses too, or read on its own when it is not among the first 100. */
export function CustomerName(props: { id: string }) {
  const api = useApi();
  const keys = useQueryKeys();
  const choices = useCustomerChoices();
  const listed = choices.data?.items.find((c) => c.id === props.id);
  const single = useQuery({
    queryKey: keys.customer(props.id),
    queryFn: ({ signal }) => api.getCustomer(props.id, signal),
    enabled: choices.isSuccess && !listed,
  });
  const name = listed?.name ?? single.data?.data.name;
  if (name) return <span dir="auto">{name}</span>;
  return <span className="muted">{single.isError ? 'Deleted customer' : '…'}</span>;
}
