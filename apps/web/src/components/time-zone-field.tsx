import { useMemo } from 'react';
import { browserTimeZone } from '../lib/format';
import { SelectField } from './select-field';

/** Every IANA zone the browser knows, UTC first. */
function knownTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}

/**
 * A time zone picker: `''` stands for "not chosen", shown as the browser's zone, which is what the
 * desk uses until a zone is chosen.
 */
export function TimeZoneField({
  label = 'Time zone',
  value,
  onChange,
  error,
  hint,
  className,
}: {
  label?: string;
  value: string;
  onChange: (zone: string) => void;
  error?: string;
  hint?: string;
  className?: string;
}) {
  const zones = useMemo(() => {
    const all = knownTimeZones();
    // A zone stored under another name (an alias such as Asia/Calcutta) stays selectable.
    return value && !all.includes(value) ? [value, ...all] : all;
  }, [value]);
  return (
    <SelectField
      label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint={hint}
      className={className}
    >
      <option value="">This browser's time zone ({browserTimeZone()})</option>
      {zones.map((z) => (
        <option key={z} value={z}>
          {z.replaceAll('_', ' ')}
        </option>
      ))}
    </SelectField>
  );
}
