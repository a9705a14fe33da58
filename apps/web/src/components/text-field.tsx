import type { InputHTMLAttributes } from 'react';
import { controlClass, type FieldProps, FormField } from './form-field';

export function TextField({
  label,
  error,
  hint,
  className,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & FieldProps) {
  return (
    <FormField label={label} error={error} hint={hint} className={className}>
      {(control) => <input {...control} className={`${controlClass} px-3 py-2`} {...props} />}
    </FormField>
  );
}
