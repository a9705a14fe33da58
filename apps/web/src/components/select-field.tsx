import type { SelectHTMLAttributes } from 'react';
import { controlClass, type FieldProps, FormField } from './form-field';

export function SelectField({
  label,
  error,
  hint,
  className,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & FieldProps) {
  return (
    <FormField label={label} error={error} hint={hint} className={className}>
      {(control) => (
        <select {...control} className={`${controlClass} bg-white py-2 pr-8 pl-3`} {...props}>
          {children}
        </select>
      )}
    </FormField>
  );
}
