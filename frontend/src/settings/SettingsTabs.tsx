import { NavLink } from 'react-router';

/** The settings: the business's details (printed on invoices), its team, and the signed-in account's sign-in. */
export function SettingsTabs() {
  return (
    <nav className="tabs" aria-label="Settings sections">
      <NavLink to="/settings" end className="tabs__tab">
        Business details
      </NavLink>
      <NavLink to="/settings/reminders" className="tabs__tab">
        Reminders
      </NavLink>
      <NavLink to="/settings/export" className="tabs__tab">
        Export
      </NavLink>
      <NavLink to="/settings/webhooks" className="tabs__tab">
        Webhooks
      </NavLink>
      <NavLink to="/settings/team" className="tabs__tab">
        Team
      </NavLink>
      <NavLink to="/settings/sign-in" className="tabs__tab">
        Sign-in
      </NavLink>
    </nav>
  );
}
