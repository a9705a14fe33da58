import { type ButtonHTMLAttributes, useId } from 'react';
import { Button } from '../../../components/button';
import type { Step } from '../lib/consult-actions';

/**
 * A button that says why it cannot be pressed: the reason is its tooltip (on the wrapper, since a
 * disabled button gets no pointer events) and its accessible description.
 */
export function StepButton({
  step,
  pending = false,
  variant = 'secondary',
  size = 'md',
  children,
  ...props
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'disabled'> & {
  step: Step;
  pending?: boolean;
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  size?: 'sm' | 'md';
}) {
  const id = useId();
  return (
    <span className="inline-flex" title={step.reason ?? undefined}>
      <Button
        {...props}
        variant={variant}
        size={size}
        disabled={!step.enabled || pending}
        aria-describedby={step.reason ? id : undefined}
      >
        {children}
      </Button>
      {step.reason ? (
        <span id={id} className="sr-only">
          {step.reason}
        </span>
      ) : null}
    </span>
  );
}
