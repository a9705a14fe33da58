import { useEffect, useRef } from 'react';

/** The recording's peaks on a canvas, played part highlighted; click or arrow keys seek. */
export function Waveform({
  peaks,
  progress,
  onSeek,
}: {
  peaks: number[];
  progress: number;
  onSeek: (fraction: number) => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    canvas.width = w * dpr;
    canvas.height = h * dpr;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, w, h);
    const bar = w / peaks.length;
    peaks.forEach((p, i) => {
      const height = Math.max(1, p * (h - 4));
      ctx.fillStyle = i / peaks.length <= progress ? '#4f46e5' : '#cbd5e1';
      ctx.fillRect(i * bar, (h - height) / 2, Math.max(1, bar - 1), height);
    });
  }, [peaks, progress]);
  return (
    <canvas
      ref={ref}
      data-testid="waveform"
      role="slider"
      tabIndex={0}
      aria-label="Seek in recording"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(progress * 100)}
      className="h-24 w-full cursor-pointer rounded-md bg-slate-50"
      onClick={(e) => {
        const rect = e.currentTarget.getBoundingClientRect();
        onSeek((e.clientX - rect.left) / rect.width);
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowRight') onSeek(Math.min(1, progress + 0.05));
        if (e.key === 'ArrowLeft') onSeek(Math.max(0, progress - 0.05));
      }}
    />
  );
}
