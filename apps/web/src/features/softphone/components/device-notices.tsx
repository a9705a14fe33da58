import { Button } from '../../../components/button';
import { useSoftphone } from '../hooks/use-softphone';

/** Device changes as they happen: a chosen device unplugged (now the default), a new one offered. */
export function DeviceNotices() {
  const { audio, remote } = useSoftphone();
  if (remote || audio.notices.length === 0) return null;
  return (
    <section
      aria-label="Audio device changes"
      className="fixed right-4 bottom-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] flex-col gap-2"
    >
      {audio.notices.map((n) => (
        <div
          key={n.message}
          role="status"
          className={`rounded-lg px-4 py-3 text-sm shadow-lg ring-1 ${n.kind === 'unplugged' ? 'bg-amber-50 text-amber-900 ring-amber-200' : 'bg-white text-slate-800 ring-slate-200'}`}
        >
          <p>{n.message}</p>
          <div className="mt-2 flex justify-end gap-2">
            {n.kind === 'plugged' ? (
              <Button
                size="sm"
                onClick={() => {
                  audio.setPreferences(n.use);
                  audio.dismissNotice(n);
                }}
              >
                Use it
              </Button>
            ) : null}
            <Button variant="ghost" size="sm" onClick={() => audio.dismissNotice(n)}>
              {n.kind === 'plugged' ? 'Not now' : 'OK'}
            </Button>
          </div>
        </div>
      ))}
    </section>
  );
}
