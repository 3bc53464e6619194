// The role rules the app follows to show only what a role may do (the API's table in openapi.yaml, "Authentication
// and tenancy"), which business opens on sign-in, and that two businesses never share a cache entry.
import { describe, expect, it } from 'vitest';
import { queryKeysFor } from '../src/api/queries';
import type { InvoiceStatus, Me, Role } from '../src/api/types';
import { abilitiesOf, businessName, currentBusiness, invoiceActions, ownBusiness, pickBusiness, recurringActions, withArticle } from '../src/team/roles';

const statuses: InvoiceStatus[] = ['Draft', 'Open', 'PartiallyPaid', 'Paid', 'Void'];

describe('what each role may do', () => {
  it('owner: everything; member: customers and invoices but not settings or the team; accountant: nothing', () => {
    expect(abilitiesOf('owner')).toEqual({ write: true, settings: true, team: true });
    expect(abilitiesOf('member')).toEqual({ write: true, settings: false, team: false });
    expect(abilitiesOf('accountant')).toEqual({ write: false, settings: false, team: false });
  });

  it('a role this version does not know yet gets read-only screens', () => {
    expect(abilitiesOf('auditor' as Role)).toEqual({ write: false, settings: false, team: false });
  });
});

describe("an invoice's buttons per role", () => {
  it('owners and members get every action of the status', () => {
    for (const role of ['owner', 'member'] as Role[]) {
      const can = abilitiesOf(role);
      expect(invoiceActions('Draft', can)).toEqual(['delete', 'edit', 'send', 'finalize']);
      expect(invoiceActions('Open', can)).toEqual(['void', 'editNotes', 'pdf', 'send', 'pay']);
      expect(invoiceActions('PartiallyPaid', can)).toEqual(['editNotes', 'pdf', 'send', 'pay']);
      expect(invoiceActions('Paid', can)).toEqual(['pdf', 'sendAgain']);
      expect(invoiceActions('Void', can)).toEqual(['pdf']);
    }
  });

  it('an accountant gets no create, edit, delete, finalize, send, payment or void button: only the PDF of finalized invoices', () => {
    const can = abilitiesOf('accountant');
    expect(invoiceActions('Draft', can)).toEqual([]);
    for (const status of statuses.filter((s) => s !== 'Draft')) expect(invoiceActions(status, can)).toEqual(['pdf']);
  });
});

describe('which business opens', () => {
  const me: Me = {
    userId: 'u-1',
    defaultBusiness: 'b-north',
    businesses: [
      { id: 'u-1', name: '', role: 'owner', own: true },
      { id: 'b-north', name: 'Northwind Studio', role: 'accountant', own: false },
      { id: 'b-south', name: 'Southwind', role: 'member', own: false },
    ],
  };

  it('the one chosen last time on this browser, while the user still works in it', () => {
    expect(pickBusiness(me, 'b-south')?.id).toBe('b-south');
  });

  it("else the API's default (the last one joined)", () => {
    expect(pickBusiness(me, null)?.id).toBe('b-north');
    expect(pickBusiness(me, 'b-gone')?.id).toBe('b-north');
  });

  it("else the user's own", () => {
    expect(pickBusiness({ ...me, defaultBusiness: 'b-gone' }, 'b-also-gone')?.id).toBe('u-1');
    expect(ownBusiness(me)?.id).toBe('u-1');
  });

  it('keeps the business on screen while /me is read again, whether it was chosen or the default', () => {
    expect(currentBusiness(me, null, null)?.id).toBe('b-north');
    expect(currentBusiness(me, null, 'b-north')?.id).toBe('b-north');
    expect(currentBusiness(me, 'b-south', 'b-north')?.id).toBe('b-south');
    expect(currentBusiness(me, 'b-gone', 'b-south')?.id).toBe('b-south');
  });

  it("falls back to the user's own business when the one on screen leaves the list (removed)", () => {
    const removed: Me = { ...me, businesses: me.businesses.filter((b) => b.id !== 'b-south') };
    expect(currentBusiness(removed, 'b-south', 'b-south')?.id).toBe('u-1');
    expect(currentBusiness(removed, null, 'b-south')?.id).toBe('u-1');
  });

  it('names an unnamed own business "My business"', () => {
    expect(businessName(me.businesses[0])).toBe('My business');
    expect(businessName(me.businesses[1])).toBe('Northwind Studio');
    expect(businessName({ name: ' ', own: false })).toBe('Unnamed business');
    expect(withArticle('accountant')).toBe('an accountant');
    expect(withArticle('member')).toBe('a member');
  });
});

describe('query keys', () => {
  it("carry the business, so two businesses' data never share an entry", () => {
    const a = queryKeysFor('b-1');
    const b = queryKeysFor('b-2');
    const pairs: [readonly unknown[], readonly unknown[]][] = [
      [a.dashboard, b.dashboard],
      [a.invoices({ limit: 25 }), b.invoices({ limit: 25 })],
      [a.invoice('inv_1'), b.invoice('inv_1')],
      [a.customers(), b.customers()],
      [a.customer('cus_1'), b.customer('cus_1')],
      [a.settings, b.settings],
      [a.team, b.team],
    ];
    for (const [x, y] of pairs) {
      expect(x.slice(0, 2)).toEqual(['business', 'b-1']);
      expect(JSON.stringify(x)).not.toBe(JSON.stringify(y));
    }
  });
});

describe('a recurring profile’s buttons', () => {
  it.each(['owner', 'member'] as Role[])('%s: edit, and pause or resume by status', (role) => {
    const can = abilitiesOf(role);
    expect(recurringActions('Active', can)).toEqual(['edit', 'pause']);
    expect(recurringActions('Paused', can)).toEqual(['edit', 'resume']);
    expect(recurringActions('Ended', can)).toEqual(['edit']);
  });

  it('accountant: none', () => {
    for (const status of ['Active', 'Paused', 'Ended'] as const) expect(recurringActions(status, abilitiesOf('accountant'))).toEqual([]);
  });
});
