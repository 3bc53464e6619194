// The business switcher in the header: which business the screens show, and the user's role there. Only for users
// who work in more than one business. A menu button (WAI-ARIA menu pattern): arrows move, Escape closes and gives
// the focus back, choosing another business opens its dashboard.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Business } from '../api/types';
import { businessName, roleLabel } from '../team/roles';
import { useBusiness } from './business';
import { useSession } from './session';

export function BusinessSwitcher() {
  const { me, business, switchTo } = useBusiness();
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const menuId = useId();

  // The user's own business first, then the others by name.
  const businesses = [...me.businesses].sort((a, b) => Number(b.own) - Number(a.own) || businessName(a).localeCompare(businessName(b)));

  useEffect(() => {
    if (!open) return;
    const current = menu.current?.querySelector<HTMLElement>('[aria-checked="true"]') ?? menu.current?.querySelector<HTMLElement>('[role="menuitemradio"]');
    current?.focus();
    const outside = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  if (me.businesses.length < 2) return null;

  const close = (focusButton = true) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };
  const choose = (target: Business) => {
    close(false);
    if (target.id !== business.id) switchTo(target.id);
    else button.current?.focus();
  };
  const onMenuKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Tab') setOpen(false);
  };

  return (
    <div className="switcher" ref={root}>
      <button
        ref={button}
        type="button"
        className="switcher__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <span className="visually-hidden">Business: </span>
        <span className="switcher__name">{businessName(business)}</span>
        <span className="visually-hidden">, your role: </span>
        <span className="switcher__role">{roleLabel[business.role]}</span>
        <svg className="switcher__caret" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
          <path d="M3 4.5 6 7.5 9 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      {open ? (
        <div className="switcher__panel">
          {/* The header has no room for the signed-in address next to the switcher: it is here. */}
          <p className="switcher__who">Signed in as {user?.email}</p>
          <ul id={menuId} ref={menu} className="switcher__menu" role="menu" aria-label="Your businesses" onKeyDown={onMenuKey}>
            {businesses.map((b) => {
              const current = b.id === business.id;
              return (
                <li
                  key={b.id}
                  role="menuitemradio"
                  aria-checked={current}
                  tabIndex={-1}
                  className={current ? 'switcher__item switcher__item--current' : 'switcher__item'}
                  onClick={() => choose(b)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      choose(b);
                    }
                  }}
                >
                  <span className="switcher__check" aria-hidden="true">
                    {current ? '✓' : ''}
                  </span>
                  <span className="switcher__item-text">
                    <span className="switcher__item-name">{businessName(b)}</span>
                    <span className="switcher__item-role">
                      {roleLabel[b.role]}
                      {b.own ? ' · yours' : ''}
                    </span>
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
