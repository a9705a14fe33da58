import type { PhoneNumberParts } from '@switchboard/shared';
import { TextField } from '../../../components/text-field';

export const emptyParts: PhoneNumberParts = { countryCode: '', areaCode: '', number: '' };

/** Country code, area code and number, as the portal asks for every phone number. */
export function PhoneNumberFields({
  legend,
  name,
  value,
  onChange,
  errors,
}: {
  legend: string;
  name: string;
  value: PhoneNumberParts;
  onChange: (next: PhoneNumberParts) => void;
  errors: Record<string, string>;
}) {
  const err = (field: keyof PhoneNumberParts) => errors[`${name}.${field}`] ?? errors[field];
  return (
    <fieldset className="min-w-0">
      <legend className="mb-2 text-sm font-medium text-slate-700">{legend}</legend>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-[7rem_6.5rem_1fr]">
        <TextField
          label="Country code"
          name={`${name}-country`}
          inputMode="numeric"
          placeholder="1"
          value={value.countryCode}
          onChange={(e) => onChange({ ...value, countryCode: e.target.value })}
          error={err('countryCode')}
        />
        <TextField
          label="Area code"
          name={`${name}-area`}
          inputMode="numeric"
          placeholder="415"
          hint="If used"
          value={value.areaCode ?? ''}
          onChange={(e) => onChange({ ...value, areaCode: e.target.value })}
          error={err('areaCode')}
        />
        <TextField
          label="Number"
          name={`${name}-number`}
          inputMode="tel"
          placeholder="555 0132"
          value={value.number}
          onChange={(e) => onChange({ ...value, number: e.target.value })}
          error={err('number')}
          className="col-span-2 sm:col-span-1"
        />
      </div>
    </fieldset>
  );
}

/** The parts as the API takes them: an empty area code left out. */
export function partsForApi(p: PhoneNumberParts): PhoneNumberParts {
  return p.areaCode?.trim() ? p : { countryCode: p.countryCode, number: p.number };
}
