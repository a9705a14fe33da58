import type { ButtonHTMLAttributes, Ref } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'ghost-danger';

const styles: Record<Variant, string> = {
  primary: 'bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-600/50',
  secondary: 'bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 disabled:text-slate-400',
  danger: 'bg-red-600 text-white hover:bg-red-700 disabled:bg-red-600/50',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
  'ghost-danger': 'text-red-700 hover:bg-red-50 disabled:text-slate-400',
};

const sizes = { md: 'px-3.5 py-2', sm: 'px-2 py-1.5' };

/** A button's look, for a link that acts as one (it opens a page, e.g. in a new tab). */
export function buttonClasses(variant: Variant = 'primary', size: keyof typeof sizes = 'md'): string {
  return `inline-flex items-center justify-center gap-2 rounded-md ${sizes[size]} text-sm font-medium shadow-sm transition-colors disabled:cursor-not-allowed ${styles[variant]}`;
}

export function Button({
  variant = 'primary',
  size = 'md',
  className = '',
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: keyof typeof sizes;
  ref?: Ref<HTMLButtonElement>;
}) {
  return <button type={type} className={`${buttonClasses(variant, size)} ${className}`} {...props} />;
}
