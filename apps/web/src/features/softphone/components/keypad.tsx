const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const letters: Record<string, string> = {
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
  '0': '+',
};

/** The 12 phone keys; used by the dial pad and the in-call DTMF keypad. */
export function Keypad({ onKey, label }: { onKey: (key: string) => void; label: string }) {
  return (
    <fieldset aria-label={label} className="m-0 grid grid-cols-3 gap-2 border-0 p-0">
      {keys.map((k) => (
        <button
          key={k}
          type="button"
          onClick={() => onKey(k)}
          aria-label={k === '*' ? 'star' : k === '#' ? 'pound' : k}
          className="flex h-12 flex-col items-center justify-center rounded-lg bg-slate-100 text-lg font-semibold text-slate-800 hover:bg-slate-200 active:bg-slate-300"
        >
          {k}
          <span className="text-[10px] font-normal leading-none text-slate-500">
            {letters[k] ?? '\u00a0'}
          </span>
        </button>
      ))}
    </fieldset>
  );
}
