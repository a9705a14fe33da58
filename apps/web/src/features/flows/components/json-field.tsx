import { useEffect, useState } from 'react';
import { TextareaField } from '../../../components/textarea-field';

/** A JSON field (opening hours): edited as text, applied when it parses. */
export function JsonField({
  label,
  value,
  disabled,
  error,
  onChange,
}: {
  label: string;
  value: unknown;
  disabled: boolean;
  error?: string;
  onChange: (v: unknown) => void;
}) {
  const [text, setText] = useState(JSON.stringify(value));
  const [bad, setBad] = useState<string | null>(null);
  useEffect(() => setText(JSON.stringify(value)), [value]);
  return (
    <TextareaField
      label={label}
      value={text}
      disabled={disabled}
      error={bad ?? error}
      hint='e.g. [{"days":[1,2,3,4,5],"from":"09:00","to":"17:00"}] (0 = Sunday)'
      onChange={(e) => {
        setText(e.target.value);
        try {
          onChange(JSON.parse(e.target.value));
          setBad(null);
        } catch {
          setBad('Not valid JSON yet');
        }
      }}
    />
  );
}
