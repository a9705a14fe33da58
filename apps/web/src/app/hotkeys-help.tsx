import { useEffect, useState } from 'react';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { hotkeyList, installHotkeys, useHotkey } from '../lib/hotkeys';

/** The shortcuts listener for the signed-in pages, and the dialog (Alt+/ or the header button) listing them. */
export function HotkeysHelp() {
  const [open, setOpen] = useState(false);
  useEffect(() => installHotkeys(), []);
  useHotkey('help', () => {
    setOpen((o) => !o);
    return true;
  });
  return (
    <>
      <Button variant="ghost" size="sm" aria-keyshortcuts="Alt+/" onClick={() => setOpen(true)}>
        Shortcuts
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Keyboard shortcuts"
        description="They work anywhere on the desk, whatever has the focus."
        footer={
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Close
          </Button>
        }
      >
        <table className="w-full text-sm">
          <tbody>
            {hotkeyList.map((k) => (
              <tr key={k.action} className="border-slate-100 border-b last:border-0">
                <td className="py-1.5 pr-4">
                  <kbd className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs ring-1 ring-slate-300">
                    {k.keys}
                  </kbd>
                </td>
                <td className="py-1.5">{k.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Dialog>
    </>
  );
}
