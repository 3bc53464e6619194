import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '../api/client';

/**
 * Puts the field errors of an API problem next to their fields. `toField` maps the problem's path (from its JSON
 * pointer) to the form's field name, or null when the form has no such field; those stay in the problem's detail,
 * which the form shows above. Returns the paths it could not place.
 */
export function applyServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  toField: (path: string) => string | null,
): string[] {
  if (!(error instanceof ApiError)) return [];
  const unplaced: string[] = [];
  let first = true;
  for (const [path, message] of Object.entries(error.fieldErrors)) {
    const field = toField(path);
    if (field) {
      setError(field as Path<T>, { type: 'server', message }, { shouldFocus: first });
      first = false;
    } else unplaced.push(path);
  }
  return unplaced;
}
