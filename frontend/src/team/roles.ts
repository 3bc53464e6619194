// What each role may do, as the API decides it (openapi.yaml, "Authentication and tenancy"), so the app shows only
// what the user can use. The API still checks every request; a 403 it answers anyway is explained by the business
// provider (app/business.tsx).
import type { Business, InvoiceStatus, Me, QuoteStatus, RecurringStatus, Role } from '../api/types';

export interface Abilities {
  /** Customers and invoices: create, edit, delete, finalize, send, record payments, void. Owners and members. */
  write: boolean;
  /** The business's settings. Owners. */
  settings: boolean;
  /** Invite, change roles, remove others. Owners. */
  team: boolean;
}

export function abilitiesOf(role: Role): Abilities {
  switch (role) {
    case 'owner':
      return { write: true, settings: true, team: true };
    case 'member':
      return { write: true, settings: false, team: false };
    default:
      // An accountant, or a role this version of the app does not know yet: read only.
      return { write: false, settings: false, team: false };
  }
}

export const roles: Role[] = ['owner', 'member', 'accountant'];

export const roleLabel: Record<Role, string> = { owner: 'Owner', member: 'Member', accountant: 'Accountant' };

export const roleDescription: Record<Role, string> = {
  owner: 'Everything, including the settings and the team.',
  member: 'Customers, invoices, sending and payments; not the settings or the team.',
  accountant: 'Reads everything and changes nothing.',
};

/** "an accountant", "a member". */
export function withArticle(role: Role): string {
  const label = roleLabel[role]?.toLowerCase() ?? role;
  return `${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label}`;
}

/** What the invoice's page offers, in the order its buttons appear. */
export type InvoiceAction = 'delete' | 'edit' | 'editNotes' | 'void' | 'pdf' | 'send' | 'sendAgain' | 'finalize' | 'pay';

export function invoiceActions(status: InvoiceStatus, can: Abilities): InvoiceAction[] {
  const all: InvoiceAction[] =
    status === 'Draft'
      ? ['delete', 'edit', 'send', 'finalize']
      : status === 'Open'
        ? ['void', 'editNotes', 'pdf', 'send', 'pay']
        : status === 'PartiallyPaid'
          ? ['editNotes', 'pdf', 'send', 'pay']
          : status === 'Paid'
            ? ['pdf', 'sendAgain']
            : ['pdf'];
  // Reading the PDF is reading; everything else changes the invoice.
  return can.write ? all : all.filter((action) => action === 'pdf');
}

/** What a recurring profile's page offers. An ended profile can still be edited: a new schedule continues it. */
export type RecurringAction = 'edit' | 'pause' | 'resume';

export function recurringActions(status: RecurringStatus, can: Abilities): RecurringAction[] {
  if (!can.write) return [];
  return status === 'Active' ? ['edit', 'pause'] : status === 'Paused' ? ['edit', 'resume'] : ['edit'];
}

/** A business's name as the app shows it: an unnamed one is "My business" when it is the user's own. */
export function businessName(business: Pick<Business, 'name' | 'own'>): string {
  const name = business.name.trim();
  if (name) return name;
  return business.own ? 'My business' : 'Unnamed business';
}

/** The user's own business (its id is their sub). */
export function ownBusiness(me: Me): Business | undefined {
  return me.businesses.find((b) => b.own) ?? me.businesses.find((b) => b.id === me.userId);
}

/**
 * The business to open: the one chosen last time on this browser if the user still works in it, else the API's
 * default (the last one joined, else their own), else their own.
 */
export function pickBusiness(me: Me, stored: string | null): Business | undefined {
  const find = (id: string | null) => (id ? me.businesses.find((b) => b.id === id) : undefined);
  return find(stored) ?? find(me.defaultBusiness) ?? ownBusiness(me) ?? me.businesses[0];
}

/**
 * The business on screen as /me changes: the one the user chose, else the one already on screen (the first was the
 * API's default, not a choice), else — when the one on screen has gone from the list, the user was removed — their own;
 * before anything was on screen, pickBusiness's choice.
 */
export function currentBusiness(me: Me, chosen: string | null, onScreen: string | null): Business | undefined {
  const listed = (id: string | null) => (id ? me.businesses.find((b) => b.id === id) : undefined);
  return listed(chosen) ?? listed(onScreen) ?? (onScreen ? ownBusiness(me) : undefined) ?? pickBusiness(me, chosen);
}

/** What a quote's page offers: a draft is edited, deleted and sent; a sent one sent again; an accepted one converted. */
export type QuoteAction = 'delete' | 'edit' | 'send' | 'sendAgain' | 'convert' | 'revokeLinks';

export function quoteActions(status: QuoteStatus, can: Abilities, hasLinks: boolean): QuoteAction[] {
  if (!can.write) return [];
  const all: QuoteAction[] =
    status === 'Draft' ? ['delete', 'edit', 'send'] : status === 'Sent' ? ['sendAgain'] : status === 'Accepted' ? ['convert'] : [];
  return hasLinks && status !== 'Draft' ? ['revokeLinks', ...all] : all;
}
