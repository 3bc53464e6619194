import { NavLink } from 'react-router';

/** The two halves of the settings: the business's details (printed on invoices) and its team. */
export function SettingsTabs() {
  return (
    <nav className="tabs" aria-label="Settings sections">
      <NavLink to="/settings" end className="tabs__tab">
        Business details
      </NavLink>
      <NavLink to="/settings/team" className="tabs__tab">
        Team
      </NavLink>
    </nav>
  );
}
