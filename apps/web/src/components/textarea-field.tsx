import type { TextareaHTMLAttributes } from 'react';
import { controlClass, type FieldProps, FormField } from './form-field';

export function TextareaField({
  label,
  error,
  hint,
  className,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & FieldProps) {
  return (
    <FormField label={label} error={error} hint={hint} className={className}>
      {(control) => <textarea {...control} rows={3} className={`${controlClass} px-3 py-2`} {...props} />}
    </FormField>
  );
}
