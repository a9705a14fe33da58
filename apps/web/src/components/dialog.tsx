import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A modal dialog on the native <dialog>: focus moves in and is trapped, Escape closes, and focus
 * returns to the control that opened it. `modal={false}`: a panel at the bottom right of the window
 * that leaves the rest of the page usable (a call's own buttons while its consult runs); Escape
 * still closes it.
 */
export function Dialog({
  open,
  title,
  description,
  onClose,
  children,
  footer,
  size = 'md',
  modal = true,
}: {
  open: boolean;
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  modal?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // How the open dialog was shown: switching between modal and not means showing it again.
  const shownModal = useRef<boolean | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && el.open && shownModal.current !== modal) {
      el.close();
      if (modal) el.showModal();
      else el.show();
      shownModal.current = modal;
      return;
    }
    if (open && !el.open) {
      if (modal) el.showModal();
      else el.show();
      shownModal.current = modal;
      // The first field, not the close button, gets focus so typing can start at once.
      const first = el.querySelector<HTMLElement>(
        '[data-autofocus], input:not([type=hidden]):not([readonly]):not([disabled]), select:not([disabled]), textarea:not([disabled])',
      );
      first?.focus();
    }
    if (!open && el.open) el.close();
  }, [open, modal]);
  const width = size === 'sm' ? 'max-w-md' : size === 'lg' ? 'max-w-3xl' : 'max-w-xl';
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => {
        // A dialog shown without `showModal` gets no cancel event from Escape.
        if (!modal && e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
      className={`${modal ? 'm-auto' : 'fixed right-4 bottom-4 left-auto z-30 m-0'} w-full ${width} rounded-xl bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40`}
    >
      {open ? (
        <div className="flex max-h-[85vh] flex-col">
          <div className="flex items-start justify-between gap-4 border-slate-200 border-b px-6 py-4">
            <div>
              <h2 id={titleId} className="text-base font-semibold">
                {title}
              </h2>
              {description ? (
                <p id={descriptionId} className="mt-1 text-sm text-slate-500">
                  {description}
                </p>
              ) : null}
            </div>
            <button
              type="button"
              onClick={onClose}
              className="rounded-md p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-600"
              aria-label="Close"
            >
              <svg viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5" aria-hidden="true">
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </button>
          </div>
          <div className="overflow-y-auto px-6 py-5">{children}</div>
          {footer ? (
            <div className="flex justify-end gap-2 border-slate-200 border-t bg-slate-50 px-6 py-3">
              {footer}
            </div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}
