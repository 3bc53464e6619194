import type { Settings, Versioned } from '../api/types';

/** A PUT or a confirmation answers the settings without today's sending figures (GET only): the ones already shown stay. */
export function keepSending(saved: Versioned<Settings>, shown: Versioned<Settings> | undefined): Versioned<Settings> {
  return saved.data.sending || !shown?.data.sending ? saved : { ...saved, data: { ...saved.data, sending: shown.data.sending } };
}
